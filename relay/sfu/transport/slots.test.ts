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

test('with a view, video slots hold only the shown publications, best first; an occupant that stays keeps its slot', () => {
  const t = new SlotTable();
  t.setSubscriber('A', { audio: [], video: ['v1', 'v2'] });
  for (const s of ['B', 'C', 'D']) t.addPublication(cam(s));
  assert.equal(t.message('A').video.map((s) => s.sessionId), ['B', 'C'], 'first free before any view');
  assert.equal(t.setView('A', [cam('D'), cam('A'), cam('C'), cam('B')]), ['A']);
  assert.equal(t.message('A').video.map((s) => s.sessionId), ['D', 'C'], 'D and C are the top two: B freed, C stays; its own camera ignored');
  assert.equal(t.setView('A', [cam('D'), cam('C')]), [], 'same seats: nothing to announce');
  assert.equal(t.addPublication(cam('E')), [], 'not shown: not seated');
  assert.equal(t.setView('A', [cam('E'), cam('F')]), ['A']);
  assert.equal(t.message('A').video.map((s) => s.sessionId), ['E', null]);
  assert.equal(t.addPublication(cam('F')), ['A'], 'a shown publication is seated when it appears');
  assert.equal(t.removePublication(cam('E')), ['A']);
  assert.equal(t.message('A').video.map((s) => s.sessionId), [null, 'F'], 'a freed slot takes only shown publications');
  t.setView('A', [cam('F'), cam('C'), cam('G')]);
  assert.equal(t.message('A').video.map((s) => s.sessionId), ['C', 'F']);
  assert.equal(t.addPublication(cam('G')), [], 'G is shown but third');
  t.setView('A', [cam('G'), cam('F'), cam('C')]);
  assert.equal(t.message('A').video.map((s) => s.sessionId), ['G', 'F'], 'a higher priority takes the slot of the lowest');
});

test('a view sent before the subscriber’s slots applies when they come', () => {
  const t = new SlotTable();
  for (const s of ['B', 'C']) t.addPublication(cam(s));
  t.setView('A', [cam('C')]);
  t.setSubscriber('A', { audio: [], video: ['v1', 'v2'] });
  assert.equal(t.message('A').video.map((s) => s.sessionId), ['C', null]);
});

test('seatAudio: false leaves audio slots to the forwarder', () => {
  const t = new SlotTable({ seatAudio: false });
  t.setSubscriber('A', mids('A'));
  assert.equal(t.addPublication(mic('B')), []);
  assert.equal(t.addPublication(cam('B')), ['A']);
  assert.equal(t.message('A').audio, [{ mid: 'Aa1', sessionId: null }, { mid: 'Aa2', sessionId: null }]);
  t.setSubscriber('C', mids('C'));
  assert.equal(t.message('C').audio.map((s) => s.sessionId), [null, null]);
});

test.run();
