import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_SDP_BYTES } from '../sfu/transport/protocol.ts';
import { MAX_FRAME_BYTES, MAX_OFFER_FRAME_BYTES, parseClientFrame } from './protocol.ts';

const SDP = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';
const code = (frame: string | Uint8Array) => {
  const r = parseClientFrame(frame);
  return r.ok ? 'ok' : r.code;
};

test('parseClientFrame() accepts the mesh messages', () => {
  assert.ok(parseClientFrame('{"type":"signal","to":"abcdefgh","data":{"type":"offer","sdp":"v=0"}}').ok);
  assert.ok(parseClientFrame('{"type":"ping"}').ok);
  assert.ok(parseClientFrame(Buffer.from('{"type":"leave"}')).ok);
});

test('parseClientFrame() accepts the relay-mode messages and mode-ack', () => {
  const frames = [
    { type: 'relay-offer', sdp: SDP, epoch: 2 },
    { type: 'relay-offer', sdp: SDP, epoch: 2, videoSources: [{ mid: '1', source: 'camera' }, { mid: '3', source: 'screen' }] },
    { type: 'relay-candidate', candidate: { candidate: 'candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
    { type: 'relay-candidate', candidate: null },
    { type: 'view', videos: [{ sessionId: 'session-aaaa', source: 'camera', width: 320, height: 180 }] },
    { type: 'mode-ack', epoch: 0 },
    { type: 'mode-ack', epoch: 7 },
  ];
  for (const f of frames) {
    const r = parseClientFrame(JSON.stringify(f));
    assert.ok(r.ok, JSON.stringify(f));
    if (r.ok) assert.equal(r.message, f);
  }
});

test('parseClientFrame() names what is wrong', () => {
  const cases: Array<[string, string]> = [
    ['{', 'bad-json'],
    ['null', 'bad-message'],
    ['[]', 'bad-message'],
    ['{"type":"nope"}', 'bad-message'],
    ['{"type":"signal","to":"x","data":{}}', 'bad-message'],
    ['{"type":"signal","to":"abcdefgh","data":"str"}', 'bad-message'],
    ['{"type":"ping","extra":1}', 'bad-message'],
    ['{"type":"ping","id":-1}', 'bad-message'],
    ['{"type":"mode-ack"}', 'bad-message'],
    ['{"type":"mode-ack","epoch":-1}', 'bad-message'],
    ['{"type":"mode-ack","epoch":1.5}', 'bad-message'],
    ['{"type":"mode-ack","epoch":"1"}', 'bad-message'],
    ['{"type":"mode-ack","epoch":1,"path":"relay"}', 'bad-message'],
    ['{"type":"relay-offer","sdp":"hello","epoch":1}', 'bad-message'],
    ['{"type":"relay-offer","sdp":"v=0"}', 'bad-message'],
    ['{"type":"relay-candidate"}', 'bad-message'],
    ['{"type":"view","videos":[{"sessionId":"x","source":"camera","width":1,"height":1}]}', 'bad-message'],
    ['{"type":"mode","path":"relay","warm":true,"phase":"settled","epoch":1}', 'bad-message'],
    ['{"type":"relay-answer","sdp":"v=0"}', 'bad-message'],
  ];
  for (const [frame, expected] of cases) assert.is(code(frame), expected, frame);
});

test('parseClientFrame() refuses frames over 64 KB, except relay offers up to 256 KB', () => {
  const signal = JSON.stringify({ type: 'signal', to: 'abcdefgh', data: { sdp: 'x'.repeat(MAX_FRAME_BYTES) } });
  assert.is(code(signal), 'too-large');
  assert.is(code(`{"type":"ping","id":1${' '.repeat(MAX_FRAME_BYTES)}}`), 'too-large', 'valid JSON, but not an offer');
  assert.is(code(`{"type":"relay-offer"${' '.repeat(MAX_FRAME_BYTES)}`), 'too-large', 'unparsable and large is too large, not bad-json');

  // The largest SDP the relay accepts, with a browser's line ends: over 64 KB once JSON-escaped.
  const lines = Math.floor((MAX_SDP_BYTES - SDP.length) / 64);
  const sdp = SDP + Array.from({ length: lines }, (_, i) => `a=x-line:${String(i).padStart(6, '0')}${'y'.repeat(46)}\r\n`).join('');
  assert.ok(Buffer.byteLength(sdp) <= MAX_SDP_BYTES);
  const offer = JSON.stringify({ type: 'relay-offer', sdp, epoch: 3 });
  assert.ok(Buffer.byteLength(offer) > MAX_FRAME_BYTES, 'the escaped offer exceeds 64 KB');
  assert.is(code(offer), 'ok');

  // An offer frame under 256 KB whose SDP is over MAX_SDP_BYTES is still refused by the schema.
  assert.is(code(JSON.stringify({ type: 'relay-offer', sdp: SDP + 'x'.repeat(MAX_SDP_BYTES), epoch: 3 })), 'bad-message');
  // Over 256 KB, even an offer is refused unread.
  assert.is(code(JSON.stringify({ type: 'relay-offer', sdp: SDP + 'x'.repeat(MAX_OFFER_FRAME_BYTES), epoch: 3 })), 'too-large');
});

test('parseClientFrame() never throws on random input', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 2000; i++) {
    const bytes = Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)));
    assert.type(parseClientFrame(bytes).ok, 'boolean');
  }
});

test.run();
