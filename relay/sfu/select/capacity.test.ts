import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CAPACITY_LEVELS, CapacityGovernor } from './capacity.ts';

/** Feeds one lag sample every 500 ms from `from` to `to`; returns the time after the last. */
function feed(g: CapacityGovernor, lagMs: number, from: number, to: number): number {
  let t = from;
  for (; t < to; t += 500) g.observe(lagMs, t);
  return t;
}

test('CapacityGovernor steps down one level per hold while the relay is behind, down to one q video and one speaker', () => {
  const g = new CapacityGovernor({ overloadSamples: 1 });
  const limit = g.limit;
  assert.ok(g.observe(100, 0));
  assert.equal({ ...limit }, { maxLayer: 1, maxVideos: Infinity, maxAudio: Infinity }, 'first the full layer goes');
  assert.not.ok(g.observe(100, 500), 'one step per hold');
  assert.ok(g.observe(100, 1500));
  assert.equal({ ...limit }, { maxLayer: 0, maxVideos: Infinity, maxAudio: Infinity });
  assert.ok(g.observe(100, 3000));
  assert.equal({ ...limit }, { maxLayer: 0, maxVideos: 16, maxAudio: Infinity }, 'then videos per subscriber');
  feed(g, 100, 3500, 60_000);
  assert.is(g.level, CAPACITY_LEVELS.length - 1);
  assert.equal({ ...limit }, { maxLayer: 0, maxVideos: 1, maxAudio: 1 }, 'speakers last');
  assert.equal(CAPACITY_LEVELS.findIndex((l) => Number.isFinite(l.maxAudio ?? Infinity)), CAPACITY_LEVELS.findIndex((l) => l.maxVideos === 1) + 1, 'audio only once video is at its least');
  assert.is(g.limit, limit, 'the same object throughout: selectors hold it');
});

test('CapacityGovernor steps back up only after lag stayed healthy for the hold; middling lag holds the level', () => {
  const g = new CapacityGovernor({ overloadSamples: 1, upHoldMs: 10_000 });
  let t = feed(g, 100, 0, 3001); // three steps down (at 0, 1500, 3000)
  assert.is(g.level, 3);
  t = feed(g, 25, t, t + 30_000);
  assert.is(g.level, 3, 'between healthy and overloaded: stays');
  const start = t;
  t = feed(g, 5, t, t + 9_500);
  assert.is(g.level, 3, 'not yet');
  t = feed(g, 5, t, start + 10_001);
  assert.is(g.level, 2);
  feed(g, 5, t, t + 20_001);
  assert.is(g.level, 0, 'one level per hold');
  assert.equal({ ...g.limit }, { maxLayer: Infinity, maxVideos: Infinity, maxAudio: Infinity });
});

test('CapacityGovernor: overload soon after a step up doubles the wait before the next one', () => {
  const g = new CapacityGovernor({ overloadSamples: 1, upHoldMs: 10_000, maxUpHoldMs: 40_000 });
  let t = feed(g, 100, 0, 1501); // two steps down
  assert.is(g.level, 2);
  t = feed(g, 5, t, t + 10_001);
  assert.is(g.level, 1, 'stepped up');
  const upAt = t;
  g.observe(100, upAt + 1500); // overloaded soon after the step up
  assert.is(g.level, 2);
  t = feed(g, 5, upAt + 2000, upAt + 2000 + 19_500);
  assert.is(g.level, 2, 'the next step up waits 20 s, not 10');
  feed(g, 5, t, upAt + 2000 + 20_001);
  assert.is(g.level, 1);
});

test('CapacityGovernor: one late window is not overload; two in a row are', () => {
  const g = new CapacityGovernor({ overloadSamples: 2 });
  assert.not.ok(g.observe(100, 0));
  assert.not.ok(g.observe(10, 500), 'back in time: the count starts over');
  assert.not.ok(g.observe(100, 1000));
  assert.ok(g.observe(100, 1500));
  assert.is(g.level, 1);
});

test.run();
