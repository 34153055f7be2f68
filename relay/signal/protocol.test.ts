import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_FRAME_BYTES, parseClientFrame } from './protocol.ts';

test('parseClientFrame() accepts the three client messages', () => {
  assert.ok(parseClientFrame('{"type":"signal","to":"abcdefgh","data":{"type":"offer","sdp":"v=0"}}').ok);
  assert.ok(parseClientFrame('{"type":"ping"}').ok);
  assert.ok(parseClientFrame(Buffer.from('{"type":"leave"}')).ok);
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
  ];
  for (const [frame, code] of cases) {
    const r = parseClientFrame(frame);
    assert.is(r.ok ? 'ok' : r.code, code, frame);
  }
});

test('parseClientFrame() refuses frames over 64 KB before parsing them', () => {
  const big = JSON.stringify({ type: 'signal', to: 'abcdefgh', data: { sdp: 'x'.repeat(MAX_FRAME_BYTES) } });
  const r = parseClientFrame(big);
  assert.is(r.ok ? 'ok' : r.code, 'too-large');
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
