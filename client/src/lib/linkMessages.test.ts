import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLinkMessage, setSenderActive } from './linkMessages.ts';

test('parseLinkMessage() reads streams and camera messages', () => {
  assert.equal(parseLinkMessage('{"kind":"streams","camera":"a","screen":null}'), { kind: 'streams', camera: 'a', screen: null });
  assert.equal(parseLinkMessage('{"kind":"camera","wanted":false}'), { kind: 'camera', wanted: false });
  assert.equal(parseLinkMessage('{"kind":"camera","wanted":true}'), { kind: 'camera', wanted: true });
});

test('parseLinkMessage() refuses malformed, unknown and oversized messages', () => {
  for (const raw of ['', 'nope', 'null', '[]', '{"kind":"camera"}', '{"kind":"camera","wanted":"no"}', '{"kind":"other"}', `{"kind":"camera","wanted":false,"x":"${'a'.repeat(2000)}"}`]) {
    assert.is(parseLinkMessage(raw), null, raw.slice(0, 40));
  }
});

type Params = { encodings: Array<{ active?: boolean }> };
function fakeSender(encodings: Array<{ active?: boolean }>, refuse = false) {
  const set: Params[] = [];
  return {
    set,
    getParameters: () => ({ encodings: encodings.map((e) => ({ ...e })) }) as unknown as RTCRtpSendParameters,
    setParameters: async (p: RTCRtpSendParameters) => {
      if (refuse) throw new Error('InvalidModificationError');
      set.push(p as unknown as Params);
      encodings = (p as unknown as Params).encodings;
    },
  };
}

test('setSenderActive() flips every encoding once, and says when the browser refused', async () => {
  const s = fakeSender([{ active: true }, { active: true }]);
  assert.ok(await setSenderActive(s, false));
  assert.equal(s.set[0]!.encodings.map((e) => e.active), [false, false]);
  assert.ok(await setSenderActive(s, false));
  assert.is(s.set.length, 1, 'already inactive: no call');
  assert.ok(await setSenderActive(s, true));
  assert.equal(s.set[1]!.encodings.map((e) => e.active), [true, true]);
  assert.not.ok(await setSenderActive(fakeSender([{ active: true }], true), false));
});

test.run();
