import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CapacityGovernor } from './capacity.ts';
import { HIDDEN, NO_BANDWIDTH, NO_CAPACITY, NO_LAYER, pauseReason, type Layer, type LayerPolicy, type TileDemand } from './layer-policy.ts';
import { LadderError, LayerSelector, VideoSource } from './layer-selector.ts';

const Q = 0;
const H = 1;
const F = 2;

test('a ladder must have layers of growing resolution', () => {
  const screen: Layer[] = [
    { rid: 'l', width: 960, height: 540, bitrate: 300_000 },
    { rid: 'f', width: 1920, height: 1080, bitrate: 1_200_000 },
  ];
  assert.is(new VideoSource(screen).ladder.length, 2);
  assert.throws(() => new VideoSource([]), (e: unknown) => e instanceof LadderError);
  assert.throws(() => new VideoSource([screen[1]!, screen[0]!]), (e: unknown) => e instanceof LadderError);
});

test('a layer the publisher stops is left at the next update; setActive out of range is ignored', () => {
  const source = new VideoSource();
  const selector = new LayerSelector();
  const sub = selector.add(source, 1280, 720);
  selector.update(0);
  source.onKeyframe(F);
  source.setActive(F, false);
  selector.update(100);
  assert.is(sub.target, H);
  assert.is(sub.current, F, 'f keeps its place until h has a keyframe (nothing flows meanwhile)');
  source.setActive(7, true);
  assert.equal(source.active, [true, true, false]);
});

test('starting a video is an upgrade: it gets 90 % of the estimate', () => {
  const selector = new LayerSelector();
  const large = selector.add(new VideoSource(), 640, 360);
  const tiles = Array.from({ length: 25 }, () => selector.add(new VideoSource(), 256, 144));
  selector.setBandwidth(2_000_000, 0);
  selector.update(0);
  // 1.8M holds 12 videos at 150k: the large tile, then 11 small ones in the order they were added.
  assert.is(large.target, Q);
  assert.equal(tiles.slice(0, 11).map((t) => t.target), Array(11).fill(Q));
  assert.equal(tiles.slice(11).map((t) => t.target), Array(14).fill(NO_BANDWIDTH));
});

test('measured layer bitrates replace the nominal ones in the budget', () => {
  const source = new VideoSource();
  const selector = new LayerSelector();
  const sub = selector.add(source, 1280, 720);
  selector.setBandwidth(1_000_000, 0);
  selector.update(0);
  assert.is(sub.target, H);
  source.setBitrate(F, 800_000); // a static scene: f costs less than announced
  selector.update(3000);
  assert.is(sub.target, F);
  source.setBitrate(F, 0);
  assert.is(source.bitrate[F], 1_500_000, 'back to nominal');
});

test('upgrades wait until the estimate has allowed them for 2.5 s; downgrades are immediate', () => {
  const selector = new LayerSelector();
  const sub = selector.add(new VideoSource(), 1280, 720);
  selector.setBandwidth(800_000, 0);
  selector.update(0);
  assert.is(sub.target, H);
  selector.setBandwidth(3_000_000, 10_000);
  for (let now = 10_000; now < 12_500; now += 100) {
    selector.update(now);
    assert.is(sub.target, H, `still h at ${now}`);
  }
  selector.update(12_500);
  assert.is(sub.target, F);
  selector.setBandwidth(1_000_000, 20_000);
  selector.update(20_000);
  assert.is(sub.target, H);
  selector.setBandwidth(100_000, 20_100);
  selector.update(20_100);
  assert.is(sub.target, NO_BANDWIDTH);
});

test('an estimate swinging around the cost of f does not make the layer flap', () => {
  const selector = new LayerSelector();
  const sub = selector.add(new VideoSource(), 1280, 720);
  const targets = new Set<number>();
  for (let now = 0; now < 30_000; now += 100) {
    if (now % 1000 === 0) selector.setBandwidth(now % 2000 === 0 ? 1_400_000 : 2_200_000, now);
    selector.update(now);
    if (now >= 1000) targets.add(sub.target);
  }
  assert.equal([...targets], [H]);
});

test('a tile that grows under a steady estimate upgrades at once', () => {
  const selector = new LayerSelector();
  const sub = selector.add(new VideoSource(), 320, 180);
  selector.setBandwidth(5_000_000, 0);
  selector.update(5000);
  assert.is(sub.target, Q);
  selector.resize(sub, 1280, 720); // promoted to the large view
  selector.update(5100);
  assert.is(sub.target, F);
});

test('a switch completes only at a keyframe of the target layer, and asks for one until then', () => {
  const source = new VideoSource();
  const selector = new LayerSelector();
  const sub = selector.add(source, 640, 360);
  selector.update(0);
  assert.is(sub.target, H);
  assert.is(sub.current, -1);
  assert.ok(sub.needKeyframe);
  assert.is(source.onKeyframe(Q), 0, 'a keyframe of another layer does not help');
  assert.is(sub.current, -1);
  assert.is(source.onKeyframe(H), 1);
  assert.is(sub.current, H);
  assert.not.ok(sub.needKeyframe);
  assert.is(source.onKeyframe(H), 0, 'a later keyframe is no switch');
  selector.resize(sub, 1280, 720);
  selector.update(100);
  assert.is(sub.target, F);
  assert.is(sub.current, H, 'h keeps flowing until f has a keyframe');
  assert.ok(sub.needKeyframe);
  source.onKeyframe(F);
  assert.is(sub.current, F);
});

test('pausing is immediate, and resuming waits for a keyframe again', () => {
  const source = new VideoSource();
  const selector = new LayerSelector();
  const sub = selector.add(source, 320, 180);
  selector.update(0);
  source.onKeyframe(Q);
  selector.resize(sub, 0, 0);
  selector.update(100);
  assert.is(sub.target, HIDDEN);
  assert.is(sub.current, -1);
  assert.not.ok(sub.needKeyframe);
  selector.resize(sub, 320, 180);
  selector.update(200);
  assert.ok(sub.needKeyframe);
});

test('one keyframe switches every subscriber waiting for that layer, across selectors', () => {
  const source = new VideoSource();
  const subs = Array.from({ length: 10 }, (_, i) => {
    const selector = new LayerSelector();
    const sub = selector.add(source, i < 6 ? 320 : 1280, i < 6 ? 180 : 720);
    selector.update(0);
    return { selector, sub };
  });
  assert.is(source.onKeyframe(Q), 6);
  assert.is(source.onKeyframe(F), 4);
  subs[0]!.selector.remove(subs[0]!.sub);
  assert.is(source.subscriptions.size, 9);
  assert.is(subs[0]!.selector.subscriptions.length, 0);
});

test('no estimate yet means no limit; an estimate of 0 pauses everything', () => {
  const selector = new LayerSelector();
  const subs = Array.from({ length: 30 }, () => selector.add(new VideoSource(), 1280, 720));
  selector.update(0);
  assert.ok(subs.every((s) => s.target === F));
  selector.setBandwidth(0, 100);
  selector.update(100);
  assert.ok(subs.every((s) => s.target === NO_BANDWIDTH));
});

test('the policy is an interface: a custom one is used as given', () => {
  const lowest: LayerPolicy = {
    allocate(demands: readonly TileDemand[], _budget: number, out: number[]) {
      out.length = demands.length;
      for (let i = 0; i < demands.length; i++) out[i] = demands[i]!.width > 0 ? 0 : HIDDEN;
    },
  };
  const selector = new LayerSelector(lowest);
  const sub = selector.add(new VideoSource(), 1920, 1080);
  selector.update(0);
  assert.is(sub.target, Q);
});

test('the capacity limit caps every selector sharing it: layers first, then the smallest tiles pause, and both come back', () => {
  const governor = new CapacityGovernor({ overloadSamples: 1, downHoldMs: 0, upHoldMs: 0 });
  const selectors = [new LayerSelector(undefined, { capacity: governor.limit }), new LayerSelector(undefined, { capacity: governor.limit })];
  const sources = Array.from({ length: 20 }, () => new VideoSource());
  const large = selectors.map((s) => s.add(sources[0]!, 1280, 720));
  const small = selectors.map((s) => sources.slice(1).map((source) => s.add(source, 256, 144)));
  const update = (now: number) => selectors.forEach((s) => s.update(now));
  update(0);
  assert.equal(large.map((l) => l.target), [F, F]);
  governor.observe(100, 1);
  update(1);
  assert.equal(large.map((l) => l.target), [H, H], 'level 1: no full layer');
  governor.observe(100, 2);
  governor.observe(100, 3);
  update(3);
  assert.equal(governor.level, 3);
  for (let k = 0; k < 2; k++) {
    assert.is(large[k]!.target, Q, 'the large tile is kept, at the low layer');
    assert.equal(small[k]!.slice(0, 15).map((t) => t.target), Array(15).fill(Q), '16 videos: the large one and the first 15 small ones');
    assert.equal(small[k]!.slice(15).map((t) => t.target), Array(4).fill(NO_CAPACITY));
  }
  assert.is(pauseReason(NO_CAPACITY), 'capacity');
  for (let t = 10; t < 20; t++) governor.observe(0, t);
  assert.is(governor.level, 0);
  update(20);
  assert.equal(large.map((l) => l.target), [F, F]);
  assert.ok(small.flat().every((t) => t.target === Q), 'every tile back');
});

test('a video whose lowest sent layer is above the capacity limit is paused for capacity, not bandwidth', () => {
  const capacity = { maxLayer: Q, maxVideos: Infinity };
  const selector = new LayerSelector(undefined, { capacity });
  const source = new VideoSource();
  source.setActive(Q, false); // the publisher sends h and f only
  const sub = selector.add(source, 1280, 720);
  selector.update(0);
  assert.is(sub.target, NO_CAPACITY);
  capacity.maxLayer = H;
  selector.update(100);
  assert.is(sub.target, H, 'the limit lifted a step: h fits it');
  selector.setBandwidth(100_000, 200);
  selector.update(200);
  assert.is(sub.target, NO_BANDWIDTH, 'within the limit, the estimate is to blame');
});

test('under a number-of-videos limit, a tile whose publisher sends nothing keeps its place by size, and one beyond the limit is a capacity pause', () => {
  const capacity = { maxLayer: F, maxVideos: 2 };
  const selector = new LayerSelector(undefined, { capacity });
  const paused = new VideoSource();
  for (const l of [Q, H, F]) paused.setActive(l, false); // nobody needed it: its publisher stopped
  const big = selector.add(paused, 1280, 720);
  const others = [640, 320, 160].map((w) => selector.add(new VideoSource(), w, (w * 9) / 16));
  selector.update(0);
  assert.is(big.target, NO_LAYER, 'the largest tile: no layer yet, but it holds a place');
  assert.equal(others.map((o) => o.target >= 0), [true, false, false], 'one place left: the next largest');
  assert.equal(others.slice(1).map((o) => o.target), [NO_CAPACITY, NO_CAPACITY]);
  const small = selector.add(paused, 100, 56);
  selector.update(100);
  assert.is(small.target, NO_CAPACITY, 'a tile of a silent publisher beyond the limit: capacity, nothing to ask of it');
});

test.run();
