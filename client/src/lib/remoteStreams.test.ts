import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyStreams, parseStreamsMessage } from './remoteStreams.ts';

const cam = { id: 'cam' };
const scr = { id: 'scr' };

test('parseStreamsMessage() accepts the message as text or object and rejects others', () => {
  assert.equal(parseStreamsMessage('{"kind":"streams","camera":"cam","screen":null}'), { kind: 'streams', camera: 'cam', screen: null });
  assert.equal(parseStreamsMessage({ kind: 'streams', camera: 'a', screen: 'b' }), { kind: 'streams', camera: 'a', screen: 'b' });
  assert.is(parseStreamsMessage('nope'), null);
  assert.is(parseStreamsMessage({ kind: 'other' }), null);
});

test('classifyStreams() takes the first stream as camera before the message arrives', () => {
  assert.equal(classifyStreams([cam], null), { camera: cam, screen: null });
  assert.equal(classifyStreams([], null), { camera: null, screen: null });
});

test('classifyStreams() follows the message, whichever came first', () => {
  const info = { kind: 'streams' as const, camera: 'cam', screen: 'scr' };
  assert.equal(classifyStreams([scr, cam], info), { camera: cam, screen: scr });
  assert.equal(classifyStreams([cam], info), { camera: cam, screen: null }, 'screen not arrived yet');
  assert.equal(classifyStreams([scr], info), { camera: null, screen: scr }, 'camera not arrived yet');
  assert.equal(classifyStreams([cam, scr], { ...info, screen: null }), { camera: cam, screen: null }, 'share stopped');
});

test.run();
