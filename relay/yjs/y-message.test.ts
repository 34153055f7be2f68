import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MSG_AWARENESS, MSG_SYNC, parseYFrame } from './y-message.ts';

const doc = new Y.Doc();
doc.getArray('chat').push([{ id: '1', text: 'bonjour' }]);
const step1 = encoding.encode((e) => { encoding.writeVarUint(e, MSG_SYNC); syncProtocol.writeSyncStep1(e, doc); });
const update = encoding.encode((e) => { encoding.writeVarUint(e, MSG_SYNC); syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc)); });
const awareness = new awarenessProtocol.Awareness(doc);
awareness.setLocalState({ user: { name: 'Ada' } });
const aw = encoding.encode((e) => { encoding.writeVarUint(e, MSG_AWARENESS); encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])); });
awareness.destroy();

test('parseYFrame() reads the frames a stock y-websocket client sends', () => {
  assert.is(parseYFrame(step1, 1e6).ok && 'sync-step1', 'sync-step1');
  const u = parseYFrame(update, 1e6);
  assert.ok(u.ok && u.message.type === 'sync-update' && !u.message.step2);
  assert.ok(parseYFrame(aw, 1e6).ok);
  assert.ok(parseYFrame(new Uint8Array([3]), 1e6).ok, 'query awareness');
});

test('parseYFrame() refuses truncated, extended, unknown and oversized frames with a reason', () => {
  for (const frame of [update.slice(0, update.length - 3), new Uint8Array([...update, 0]), new Uint8Array([9]), new Uint8Array([0, 7, 0]), new Uint8Array([]), aw.slice(0, aw.length - 2)]) {
    const r = parseYFrame(frame, 1e6);
    assert.ok(!r.ok && r.reason.length > 0, `accepted ${[...frame].join(',')}`);
  }
  const r = parseYFrame(update, 10);
  assert.ok(!r.ok && /exceeds/.test(r.reason));
});

test('parseYFrame() never throws on mutated frames', () => {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 5000; i++) {
    const base = [step1, update, aw][i % 3]!;
    const f = new Uint8Array(base);
    for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) f[Math.floor(rnd() * f.length)] = Math.floor(rnd() * 256);
    assert.type(parseYFrame(f, 1e6).ok, 'boolean');
  }
});

test.run();
