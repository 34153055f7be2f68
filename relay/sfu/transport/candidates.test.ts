import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { announceCandidate, announceSdp, isMdnsCandidate, parseCandidate, remoteCandidate, remoteSdp } from './candidates.ts';

const HOST = 'candidate:1 1 udp 2130706431 10.0.0.5 40000 typ host generation 0';
const SRFLX = 'candidate:2 1 udp 1694498815 203.0.113.9 40000 typ srflx raddr 10.0.0.5 rport 40000';
const MDNS = 'candidate:3 1 udp 2113937151 0b3d5f0c-1111-2222-3333-444455556666.local 54321 typ host generation 0';

test('parseCandidate() reads address, port, type and transport; rejects junk', () => {
  assert.equal(parseCandidate(HOST), { address: '10.0.0.5', port: 40000, type: 'host', transport: 'udp' });
  assert.equal(parseCandidate(`a=${SRFLX}`)?.type, 'srflx');
  assert.is(parseCandidate('candidate:1 1 udp 1 10.0.0.5 99999 typ host'), undefined);
  assert.is(parseCandidate('candidate:1 1 udp'), undefined);
  assert.is(parseCandidate('hello'), undefined);
});

test('mDNS candidates are recognised and stripped from an SDP, other lines kept', () => {
  assert.ok(isMdnsCandidate(MDNS));
  assert.not.ok(isMdnsCandidate(HOST));
  const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=${MDNS}`, `a=${HOST}`, 'a=mid:0', ''].join('\r\n');
  assert.is(remoteSdp(sdp), ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=${HOST.replace(' generation 0', '')}`, 'a=mid:0', ''].join('\r\n'));
});

// Chromium's trickled candidates, as measured after its second ICE restart.
const CHROMIUM = 'candidate:3584662490 1 udp 2122260223 127.0.0.1 45353 typ host generation 2 ufrag TAyf network-id 1';

test('remoteCandidate() drops the generation, keeps the other attributes, and refuses other credentials', () => {
  assert.is(remoteCandidate(CHROMIUM, 'TAyf'), 'candidate:3584662490 1 udp 2122260223 127.0.0.1 45353 typ host ufrag TAyf network-id 1');
  assert.is(remoteCandidate(CHROMIUM, 'Zq9x'), undefined, 'a candidate of an earlier restart is stale');
  assert.is(remoteCandidate(CHROMIUM, undefined), 'candidate:3584662490 1 udp 2122260223 127.0.0.1 45353 typ host ufrag TAyf network-id 1');
  assert.is(remoteCandidate(SRFLX, 'TAyf'), SRFLX, 'no ufrag: any generation, kept as it is');
  assert.is(remoteCandidate(MDNS, undefined), undefined);
  assert.is(remoteCandidate(`${SRFLX} generation`, 'x'), SRFLX, 'a dangling name is dropped with its missing value');
});

test('remoteSdp() checks each candidate against its m-section ufrag, or the session one', () => {
  const line = (ufrag: string) => `a=candidate:1 1 udp 2122260223 127.0.0.1 45353 typ host generation 1 ufrag ${ufrag}`;
  const sdp = ['v=0', 'a=ice-ufrag:AAAA', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', line('AAAA'), line('OLD1'), 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=ice-ufrag:BBBB', line('BBBB'), line('AAAA'), ''].join('\r\n');
  const kept = remoteSdp(sdp).split('\r\n').filter((l) => l.startsWith('a=candidate:'));
  assert.equal(kept, ['a=candidate:1 1 udp 2122260223 127.0.0.1 45353 typ host ufrag AAAA', 'a=candidate:1 1 udp 2122260223 127.0.0.1 45353 typ host ufrag BBBB']);
});

test('announceCandidate() rewrites host candidates of the same family only, and drops the generation', () => {
  assert.is(announceCandidate(HOST, '198.51.100.7'), 'candidate:1 1 udp 2130706431 198.51.100.7 40000 typ host');
  assert.is(announceCandidate(SRFLX, '198.51.100.7'), SRFLX, 'server-reflexive stays');
  assert.is(announceCandidate('candidate:1 1 udp 1 fd00::5 40000 typ host', '198.51.100.7'), 'candidate:1 1 udp 1 fd00::5 40000 typ host');
  assert.is(announceCandidate(HOST, undefined), 'candidate:1 1 udp 2130706431 10.0.0.5 40000 typ host');
  const werift = 'candidate:626da4e5384a0ce2d0d93678a 1 udp 2116026367 127.0.0.1 45637 typ host generation 1 ufrag 4449';
  assert.is(announceCandidate(werift, undefined), 'candidate:626da4e5384a0ce2d0d93678a 1 udp 2116026367 127.0.0.1 45637 typ host ufrag 4449', 'the ufrag stays');
});

test('announceSdp() without an announced address only drops the candidates\' generation', () => {
  const sdp = ['v=0', 'c=IN IP4 10.0.0.5', `a=${HOST}`, `a=${SRFLX}`, ''].join('\r\n');
  assert.is(announceSdp(sdp, undefined), ['v=0', 'c=IN IP4 10.0.0.5', 'a=candidate:1 1 udp 2130706431 10.0.0.5 40000 typ host', `a=${SRFLX}`, ''].join('\r\n'));
});

test('announceSdp() rewrites candidates and c= lines and drops duplicates per m-section', () => {
  const sdp = [
    'v=0',
    'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 10.0.0.5',
    `a=${HOST}`,
    'a=candidate:1 1 udp 2130706431 172.17.0.1 40000 typ host',
    'a=candidate:1 1 udp 2130706431 172.17.0.1 40001 typ host',
    'm=video 40000 UDP/TLS/RTP/SAVPF 96',
    'c=IN IP4 0.0.0.0',
    `a=${HOST}`,
    '',
  ].join('\n');
  const out = announceSdp(sdp, '198.51.100.7').split('\n');
  assert.equal(out, [
    'v=0',
    'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 198.51.100.7',
    'a=candidate:1 1 udp 2130706431 198.51.100.7 40000 typ host',
    'a=candidate:1 1 udp 2130706431 198.51.100.7 40001 typ host',
    'm=video 40000 UDP/TLS/RTP/SAVPF 96',
    'c=IN IP4 0.0.0.0',
    'a=candidate:1 1 udp 2130706431 198.51.100.7 40000 typ host',
    '',
  ]);
});

test.run();
