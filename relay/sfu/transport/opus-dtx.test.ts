import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withOpusDtx } from './opus-dtx.ts';

const answer = [
  'v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=recvonly', 'a=rtpmap:111 OPUS/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=recvonly', 'a=rtpmap:96 VP8/90000',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:2', 'a=sendonly', 'a=rtpmap:111 OPUS/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 109', 'a=mid:3', 'a=recvonly', 'a=rtpmap:109 opus/48000/2',
  '',
].join('\r\n');

test('withOpusDtx() adds usedtx=1 to the Opus format of the audio the relay receives, and only there', () => {
  const out = withOpusDtx(answer);
  const lines = out.split('\r\n');
  assert.ok(lines.includes('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1'), 'the microphone the relay receives');
  assert.ok(lines.includes('a=fmtp:111 minptime=10;useinbandfec=1'), 'a receive slot (relay sends) keeps its format');
  assert.equal(lines.slice(lines.indexOf('a=mid:3')), ['a=mid:3', 'a=recvonly', 'a=rtpmap:109 opus/48000/2', 'a=fmtp:109 usedtx=1', ''], 'no fmtp line yet: one is added');
  assert.ok(!out.includes('VP8/90000\r\na=fmtp'), 'video untouched');
  assert.is(withOpusDtx(out), out, 'idempotent');
  assert.is(withOpusDtx(answer.replace('a=fmtp:111 minptime=10;useinbandfec=1\r\nm=video', 'a=fmtp:111 usedtx=0;stereo=1\r\nm=video')).includes('a=fmtp:111 stereo=1;usedtx=1'), true, 'a usedtx=0 is replaced');
});

test('withOpusDtx() asks the microphones the relay receives for a longer frame when told, and only them', () => {
  const out = withOpusDtx(answer, 60);
  const section = (mid: number) => out.split(/(?=^m=)/m).find((s) => s.includes(`a=mid:${mid}\r\n`))!;
  assert.ok(section(0).endsWith('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\na=ptime:60\r\n'));
  assert.ok(section(3).includes('a=ptime:60\r\n'));
  assert.not.match(section(1), 'a=ptime', 'video');
  assert.not.match(section(2), 'a=ptime', 'a receive slot');
  assert.is(withOpusDtx(out, 60), out, 'idempotent');
  assert.is(withOpusDtx(out, 40).split('a=ptime:40').length, 3, 'replaced, not added twice');
  assert.not.match(withOpusDtx(answer), 'a=ptime', 'the default (20 ms) says nothing');
});

test.run();
