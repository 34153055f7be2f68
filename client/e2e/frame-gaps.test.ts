import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { frontOnly, visibleGaps, type FrameCallback, type TileLog } from './frame-gaps.ts';

/** Callbacks every `step` ms from `from` to `to`, counting presented frames from `count`. */
function steady(from: number, to: number, step = 66, count = 0): FrameCallback[] {
  const out: FrameCallback[] = [];
  for (let t = from, n = count; t <= to; t += step, n++) out.push([t, n]);
  return out;
}

const tile = (elements: TileLog['elements'], fronts: TileLog['fronts']): TileLog => ({ key: 's', elements, fronts, width: 320, frames: 0 });

test('steady frames on the front element: the gap is one frame interval', () => {
  const g = visibleGaps(tile([{ id: 0, callbacks: steady(10, 2000) }], [[0, 0]]), 2000);
  assert.ok(g.maxGapMs <= 66, String(g.maxGapMs));
});

test('a late callback reporting 7 frames while the main thread was blocked is 7 frames, not a freeze', () => {
  const callbacks: FrameCallback[] = [...steady(10, 472, 66, 0), [1000, 7 + 7]];
  const g = visibleGaps(tile([{ id: 0, callbacks }], [[0, 0]]), 1000, [[480, 990]]);
  assert.ok(g.maxGapMs < 100, String(g.maxGapMs));
  assert.is(g.callbackGapMs, 1000 - 472);
});

test('frames reported late with the main thread free came at the end: a paused element, not a busy page', () => {
  // Paused at 472, resumed at 1000: the callback after it counts the frame shown at the pause too.
  const callbacks: FrameCallback[] = [...steady(10, 472, 66, 0), [1000, 7 + 2]];
  assert.is(visibleGaps(tile([{ id: 0, callbacks }], [[0, 0]]), 1000).maxGapMs, 1000 - 472);
  // Blocked only for part of it: the frames go there.
  const g = visibleGaps(tile([{ id: 0, callbacks }], [[0, 0]]), 1000, [[500, 600]]);
  assert.is(g.maxGapMs, 1000 - 550);
});

test('a late callback reporting one frame is a freeze', () => {
  const callbacks: FrameCallback[] = [...steady(10, 472, 66, 0), [1000, 8]];
  const g = visibleGaps(tile([{ id: 0, callbacks }], [[0, 0]]), 1000);
  assert.is(g.maxGapMs, 1000 - 472);
  assert.is(g.gapEndedAt, 1000);
});

test('after a swap, the new front element is counted from its own frames seen while hidden', () => {
  const a = { id: 0, callbacks: steady(10, 1000) };
  // B presents frames behind A from 500 on; it comes to the front at 1020; its next callback is late
  // (busy main thread) but reports the 6 frames it presented meanwhile.
  const b = { id: 1, callbacks: [...steady(500, 1000, 66, 0), [1400, 7 + 6] as FrameCallback] };
  const g = visibleGaps(tile([a, b], [[0, 0], [1020, 1]]), 1400, [[1000, 1400]]);
  assert.ok(g.maxGapMs < 100, String(g.maxGapMs));
  assert.equal(g.swappedAt, [1020]);
  // Watching the front element alone, the late callback reads as a freeze from A's last frame on.
  assert.is(visibleGaps(frontOnly(tile([a, b], [[0, 0], [1020, 1]])), 1400, [[1000, 1400]]).maxGapMs, 1400 - 1000); // A presented its last frame at 1000
});

test('a swap to an element that never presented is no new picture: the freeze lasts until its first frame', () => {
  const a = { id: 0, callbacks: steady(10, 800) };
  const b = { id: 1, callbacks: [[1500, 1]] as FrameCallback[] };
  const g = visibleGaps(tile([a, b], [[0, 0], [1000, 1]]), 1500);
  assert.is(g.maxGapMs, 1500 - 736); // A's last frame was at 736
  assert.is(g.gapEndedAt, 1500);
});

test('a swap to an element whose latest frame is older than the picture shown is no new picture', () => {
  const a = { id: 0, callbacks: steady(10, 800) }; // last frame at 736
  const b = { id: 1, callbacks: [...steady(10, 400, 66, 0), [1500, 6]] as FrameCallback[] }; // stalled at 340, next frame at 1500
  const g = visibleGaps(tile([a, b], [[0, 0], [1000, 1]]), 1500);
  assert.is(g.maxGapMs, 1500 - 736);
});

test('frames of the hidden element are not on screen', () => {
  const a = { id: 0, callbacks: steady(10, 500) };
  const b = { id: 1, callbacks: steady(0, 2000) };
  const g = visibleGaps(tile([a, b], [[0, 0], [1500, 1]]), 2000);
  assert.ok(g.maxGapMs > 900 && g.maxGapMs < 1100, String(g.maxGapMs));
  assert.ok(g.gapEndedAt >= 1400 && g.gapEndedAt <= 1500, String(g.gapEndedAt));
});

test('a callback reporting no new frame (the same count: a re-armed callback on a paused element) is no picture', () => {
  const callbacks: FrameCallback[] = [...steady(10, 406, 66, 0), [700, 6], [1000, 6], [1606, 7]];
  const g = visibleGaps(tile([{ id: 0, callbacks }], [[0, 0]]), 1606);
  assert.is(g.maxGapMs, 1606 - 406);
});

test('a stream change is no frame, and the count after it starts again', () => {
  const callbacks: FrameCallback[] = [...steady(10, 406, 66, 100), [450, -1], [900, 3]];
  const g = visibleGaps(tile([{ id: 0, callbacks }], [[0, 0]]), 900);
  assert.is(g.maxGapMs, 900 - 406);
});

test('a tile that stopped: the gap runs to now', () => {
  const g = visibleGaps(tile([{ id: 0, callbacks: steady(10, 300) }], [[0, 0]]), 2000);
  assert.ok(g.maxGapMs >= 1700 && g.maxGapMs <= 1766, String(g.maxGapMs));
  assert.is(g.gapEndedAt, 2000);
});

test('frames from before the reset (negative times) only set the baseline', () => {
  const callbacks: FrameCallback[] = [[-30, 50], [600, 60]];
  const g = visibleGaps(tile([{ id: 0, callbacks }], [[0, 0]]), 600, [[-30, 600]]);
  assert.ok(g.maxGapMs <= 63, String(g.maxGapMs));
});

test.run();
