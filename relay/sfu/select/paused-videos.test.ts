import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CapacityLimit } from './capacity.ts';
import { HIDDEN, NO_BANDWIDTH, NO_CAPACITY, NO_LAYER } from './layer-policy.ts';
import { PausedVideos, reasonToTell } from './paused-videos.ts';
import { Subscriptions, type ShownTile } from './subscriptions.ts';

const Q = 0;
const tile = (publisherId: string, width = 320, height = 180, kind: 'video' | 'screen' = 'video'): ShownTile => ({ publisherId, kind, width, height });

/** p0…p(n-1), each subscribed and publishing a camera, their selectors sharing `capacity`. */
function room(n: number, capacity: CapacityLimit = { maxLayer: Infinity, maxVideos: Infinity }) {
  const subs = new Subscriptions({ selector: { capacity } });
  for (let i = 0; i < n; i++) {
    subs.addSubscriber(`p${i}`);
    subs.publish(`p${i}`, 'video');
  }
  return { subs, capacity, paused: new PausedVideos() };
}

/** The changes an update reports, as `subscriber: publisher/kind/reason …`. */
const told = (paused: PausedVideos, subs: Subscriptions) =>
  Object.fromEntries(paused.update(subs).map((c) => [c.subscriberId, c.videos.map((v) => `${v.publisherId}/${v.kind}/${v.reason}`).join(' ')]));

test('reasonToTell(): each pause code has its reason; hidden and flowing videos have none; a resumed one keeps its reason until it flows', () => {
  assert.is(reasonToTell({ target: NO_CAPACITY, current: -1 }, undefined), 'capacity');
  assert.is(reasonToTell({ target: NO_BANDWIDTH, current: -1 }, 'capacity'), 'bandwidth', 'the reason changed: the new one');
  assert.is(reasonToTell({ target: NO_LAYER, current: -1 }, undefined), 'publisher');
  assert.is(reasonToTell({ target: HIDDEN, current: -1 }, 'capacity'), undefined, 'not on screen: nothing to say');
  assert.is(reasonToTell({ target: Q, current: -1 }, 'bandwidth'), 'bandwidth', 'resumed, no keyframe forwarded yet');
  assert.is(reasonToTell({ target: Q, current: -1 }, undefined), undefined, 'starting, never paused');
  assert.is(reasonToTell({ target: 1, current: Q }, 'capacity'), undefined, 'frames flow (a switch is under way)');
});

test('a video paused by the capacity limit is told once, and told cleared once its next keyframe is forwarded', () => {
  const { subs, capacity, paused } = room(3);
  subs.show('p0', [tile('p1', 1280, 720), tile('p2')], 0);
  for (const p of ['p1', 'p2']) subs.onKeyframe(p, 'video', p === 'p1' ? 2 : Q, 10);
  assert.equal(told(paused, subs), {}, 'nothing paused: no message, not even an empty one');
  capacity.maxVideos = 1;
  subs.update(100);
  assert.equal(told(paused, subs), { p0: 'p2/video/capacity' }, 'the smaller tile');
  subs.update(250);
  assert.equal(told(paused, subs), {}, 'only on change');
  capacity.maxVideos = Infinity;
  subs.update(400);
  assert.ok(subs.video('p0', 'p2', 'video')!.needKeyframe);
  assert.equal(told(paused, subs), {}, 'resumed but not flowing yet: still paused on screen');
  subs.onKeyframe('p2', 'video', Q, 450);
  assert.equal(told(paused, subs), { p0: '' }, 'frames flow: the empty list');
  assert.equal(told(paused, subs), {});
});

test('a subscriber whose estimate leaves no room is told which videos are paused for bandwidth, the largest tiles kept', () => {
  const { subs, paused } = room(4);
  subs.show('p0', [tile('p1'), tile('p2', 640, 360), tile('p3')], 0);
  subs.setBandwidth('p0', 150_000 + 2 * 150_000, 10); // the audio reserve and two q layers
  subs.update(10);
  assert.equal(told(paused, subs), { p0: 'p3/video/bandwidth' });
  subs.setBandwidth('p0', 150_000 + 150_000, 20);
  subs.update(20);
  assert.equal(told(paused, subs), { p0: 'p1/video/bandwidth p3/video/bandwidth' }, 'the whole list, not the difference');
});

test('a video none of whose layers arrive is paused for the publisher; a reason that changes is told again', () => {
  const { subs, capacity, paused } = room(3);
  subs.show('p0', [tile('p1', 1280, 720), tile('p2')], 0);
  subs.show('p1', [tile('p2')], 0);
  const source = subs.source('p2', 'video')!;
  for (let layer = 0; layer < 3; layer++) source.setActive(layer, false);
  subs.update(100);
  assert.equal(told(paused, subs), { p0: 'p2/video/publisher', p1: 'p2/video/publisher' }, 'everyone who shows it');
  source.setActive(Q, true);
  capacity.maxVideos = 1;
  subs.update(200);
  assert.equal(told(paused, subs), { p0: 'p2/video/capacity' }, 'p2 sends again, but p0 is now over the relay’s limit; p1 waits for a keyframe');
});

test('hidden tiles are not told; a paused video that leaves the view clears; screens are their own videos; a forgotten subscriber is told again', () => {
  const { subs, capacity, paused } = room(3);
  subs.publish('p2', 'screen');
  subs.show('p0', [tile('p1', 0, 0), tile('p2', 1280, 720, 'screen'), tile('p2')], 0);
  capacity.maxVideos = 1;
  subs.update(100);
  assert.equal(told(paused, subs), { p0: 'p2/video/capacity' }, 'the hidden p1 is no pause; the large screen share is kept');
  paused.forget('p0');
  assert.equal(told(paused, subs), { p0: 'p2/video/capacity' }, 'after forget(), the whole list again');
  subs.show('p0', [tile('p2', 1280, 720, 'screen')], 200);
  assert.equal(told(paused, subs), { p0: '' }, 'p2’s camera left the view');
  subs.removeSubscriber('p0');
  assert.equal(told(paused, subs), {});
});

test('an update that finds nothing changed, for 150 subscribers × 25 videos, takes under 5 ms', () => {
  const { subs, paused } = room(150);
  for (let i = 0; i < 150; i++) subs.show(`p${i}`, Array.from({ length: 25 }, (_, k) => tile(`p${(i + k + 1) % 150}`)), 0);
  subs.update(0);
  paused.update(subs);
  const t0 = performance.now();
  for (let round = 0; round < 100; round++) assert.is(paused.update(subs).length, 0);
  const ms = (performance.now() - t0) / 100;
  assert.ok(ms < 5, `${ms.toFixed(2)} ms per update`);
});

test.run();
