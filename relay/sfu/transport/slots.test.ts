import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SlotTable } from './slots.ts';

const mids = (prefix: string) => ({ audio: [`${prefix}a1`, `${prefix}a2`], video: [`${prefix}v1`, `${prefix}v2`] });
const mic = (sessionId: string) => ({ sessionId, source: 'microphone' as const });
const cam = (sessionId: string) => ({ sessionId, source: 'camera' as const });

test('a publication takes the first free slot of its kind at every other subscriber', () => {
  const t = new SlotTable();
  t.setSubscriber('A', mids('A'));
  t.setSubscriber('B', mids('B'));
  assert.equal(t.addPublication(mic('A')).sort(), ['B']);
  assert.equal(t.addPublication(cam('A')), ['B']);
  assert.equal(t.addPublication(mic('C')).sort(), ['A', 'B']);
  assert.equal(t.message('B'), {
    type: 'slots',
    audio: [{ mid: 'Ba1', sessionId: 'A' }, { mid: 'Ba2', sessionId: 'C' }],
    video: [{ mid: 'Bv1', sessionId: 'A', source: 'camera' }, { mid: 'Bv2', sessionId: null, source: null }],
  });
  assert.equal(t.seats(mic('C')), [{ subscriber: 'A', mid: 'Aa1' }, { subscriber: 'B', mid: 'Ba2' }]);
  assert.equal(t.seats(mic('A')), [{ subscriber: 'B', mid: 'Ba1' }], 'nobody receives themselves');
  assert.equal(t.addPublication(mic('C')), [], 'adding twice changes nothing');
});

test('a new subscriber is seated with the publications already there', () => {
  const t = new SlotTable();
  t.addPublication(mic('A'));
  t.addPublication(cam('A'));
  t.addPublication(cam('B'));
  assert.equal(t.setSubscriber('C', mids('C')), ['C']);
  assert.equal(t.message('C').video.map((s) => s.sessionId), ['A', 'B']);
  assert.equal(t.message('C').audio.map((s) => s.sessionId), ['A', null]);
});

test('a leaving session frees its seats, which waiting publications then take', () => {
  const t = new SlotTable();
  t.setSubscriber('A', { audio: ['a1'], video: [] });
  for (const s of ['B', 'C', 'D']) t.addPublication(mic(s));
  assert.equal(t.message('A').audio, [{ mid: 'a1', sessionId: 'B' }]);
  assert.equal(t.seats(mic('C')), [], 'C waits: no free slot');
  assert.equal(t.removeSession('B'), ['A']);
  assert.equal(t.message('A').audio, [{ mid: 'a1', sessionId: 'C' }], 'first come, first served');
  assert.equal(t.removePublication(mic('C')), ['A']);
  assert.equal(t.message('A').audio, [{ mid: 'a1', sessionId: 'D' }]);
  assert.equal(t.removePublication(mic('C')), [], 'removing twice changes nothing');
});

test('a re-offer keeps the occupants of mids that stay and seats waiting ones in new slots', () => {
  const t = new SlotTable();
  t.setSubscriber('A', { audio: ['a1'], video: ['v1'] });
  t.addPublication(cam('B'));
  t.addPublication(cam('C'));
  assert.equal(t.message('A').video, [{ mid: 'v1', sessionId: 'B', source: 'camera' }]);
  assert.equal(t.setSubscriber('A', { audio: ['a1'], video: ['v1'] }), [], 'the same offer again changes nothing');
  assert.equal(t.setSubscriber('A', { audio: ['a1'], video: ['v1', 'v2'] }), ['A']);
  assert.equal(t.message('A').video.map((s) => s.sessionId), ['B', 'C']);
  t.setSubscriber('A', { audio: ['a1'], video: ['v2'] });
  assert.equal(t.message('A').video, [{ mid: 'v2', sessionId: 'C', source: 'camera' }]);
  assert.equal(t.seats(cam('B')), []);
});

test('a screen share sits in a video slot and is reported with its source', () => {
  const t = new SlotTable();
  t.setSubscriber('A', { audio: [], video: ['v1', 'v2'] });
  t.addPublication(cam('B'));
  t.addPublication({ sessionId: 'B', source: 'screen' });
  assert.equal(t.message('A').video, [
    { mid: 'v1', sessionId: 'B', source: 'camera' },
    { mid: 'v2', sessionId: 'B', source: 'screen' },
  ]);
  assert.equal(t.occupant('A', 'v2'), { sessionId: 'B', source: 'screen' });
  t.removeSubscriber('A');
  assert.equal(t.seats(cam('B')), []);
  assert.equal(t.message('A'), { type: 'slots', audio: [], video: [] });
});

test.run();
