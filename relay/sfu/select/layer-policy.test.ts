import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CoverThenFitPolicy,
  HIDDEN,
  NO_BANDWIDTH,
  NO_LAYER,
  SIMULCAST_LADDER,
  pauseReason,
  type Layer,
  type LayerSource,
  type TileDemand,
} from './layer-policy.ts';

const Q = 0;
const H = 1;
const F = 2;

function source(ladder: readonly Layer[] = SIMULCAST_LADDER, active = ladder.map(() => true), bitrate = ladder.map((l) => l.bitrate)): LayerSource {
  return { ladder, active, bitrate };
}

function demand(width: number, height: number, from = source(), maxLayer = Infinity): TileDemand {
  return { width, height, source: from, maxLayer };
}

function allocate(demands: readonly TileDemand[], budget = Infinity): number[] {
  const out: number[] = [];
  new CoverThenFitPolicy().allocate(demands, budget, out);
  return out;
}

const layerFor = (width: number, height: number, from = source()): number => allocate([demand(width, height, from)])[0]!;

test('the smallest layer that covers the tile is chosen, 15 % upscaling tolerated, orientation-free', () => {
  assert.is(layerFor(0, 0), HIDDEN);
  assert.is(layerFor(320, 0), HIDDEN, 'a zero dimension is not visible');
  assert.is(layerFor(Number.NaN, 100), HIDDEN);
  assert.is(layerFor(160, 90), Q);
  assert.is(layerFor(320, 180), Q);
  assert.is(layerFor(360, 200), Q, 'within 15 %');
  assert.is(layerFor(400, 225), H);
  assert.is(layerFor(640, 360), H);
  assert.is(layerFor(2 * 320, 2 * 180), H, 'a 320×180 CSS tile on a devicePixelRatio 2 screen');
  assert.is(layerFor(1280, 720), F);
  assert.is(layerFor(3840, 2160), F, 'nothing covers a 4K tile: the largest layer');
  assert.is(layerFor(180, 320), Q, 'a portrait tile of a rotated phone');
});

test('the ladder is data: a two-layer screen share ladder works the same way', () => {
  const screen: Layer[] = [
    { rid: 'l', width: 960, height: 540, bitrate: 300_000 },
    { rid: 'f', width: 1920, height: 1080, bitrate: 1_200_000 },
  ];
  assert.is(layerFor(900, 500, source(screen)), 0);
  assert.is(layerFor(1600, 900, source(screen)), 1);
});

test('a layer the publisher stopped is not chosen; with none left the video pauses', () => {
  assert.is(layerFor(1280, 720, source(SIMULCAST_LADDER, [true, true, false])), H, 'next lower');
  assert.is(layerFor(160, 90, source(SIMULCAST_LADDER, [false, true, true])), H, 'next higher when nothing lower is sent');
  assert.is(layerFor(160, 90, source(SIMULCAST_LADDER, [false, false, false])), NO_LAYER);
  assert.is(pauseReason(NO_LAYER), 'no-layer');
  assert.is(pauseReason(HIDDEN), 'hidden');
  assert.is(pauseReason(F), undefined);
});

test('maxLayer caps the choice; below 0 the video stays paused for bandwidth', () => {
  assert.equal(allocate([demand(1280, 720, source(), H), demand(1280, 720, source(), NO_BANDWIDTH), demand(1280, 720, source(), HIDDEN)]), [
    H,
    NO_BANDWIDTH,
    NO_BANDWIDTH,
  ]);
});

test('over budget, every visible video gets its lowest layer, then the largest tile gets quality first', () => {
  const demands = [demand(320, 180), demand(1280, 720), demand(320, 180), demand(320, 180), demand(320, 180)];
  // 5 × 150k = 750k first; the remaining 750k cannot lift the big tile to f (+1.35M) but to h (+350k).
  assert.equal(allocate(demands, 1_500_000), [Q, H, Q, Q, Q]);
  assert.equal(allocate(demands, 2_100_000), [Q, F, Q, Q, Q]);
  assert.equal(allocate(demands, Infinity), [Q, F, Q, Q, Q]);
});

test('when even the lowest layers do not fit, the smallest tiles pause, the latest reported first', () => {
  const demands = [demand(256, 144), demand(640, 360)];
  for (let i = 0; i < 24; i++) demands.push(demand(256, 144));
  const out = allocate(demands, 2_000_000);
  // 26 × 150k = 3.9M at the lowest layer; 2M holds 13: the large tile, then tiles in report order.
  assert.is(out[1], Q, 'the large tile first');
  assert.is(out.filter((l) => l === Q).length, 13);
  assert.equal(out.slice(0, 13).filter((_, i) => i !== 1), Array(12).fill(Q));
  assert.equal(out.slice(13), Array(13).fill(NO_BANDWIDTH));
  assert.is(pauseReason(out[25]!), 'bandwidth');
});

test('layer costs are the source\'s bitrates, measured ones included', () => {
  const cheapF = source(SIMULCAST_LADDER, [true, true, true], [150_000, 500_000, 800_000]);
  assert.equal(allocate([demand(1280, 720)], 1_000_000), [H]);
  assert.equal(allocate([demand(1280, 720, cheapF)], 1_000_000), [F]);
});

test('the policy is a pure function: the same input gives the same output, whatever came before', () => {
  const policy = new CoverThenFitPolicy();
  const demands = [demand(1280, 720), demand(1280, 720, source(), H), demand(0, 0)];
  const a: number[] = [];
  const b: number[] = [];
  policy.allocate(demands, 1_900_000, a);
  policy.allocate([demand(100, 100)], 10, []);
  policy.allocate(demands, 1_900_000, b);
  // 150k + 150k, then f for the first (+1.35M) leaves 250k: not enough to lift the second to h.
  assert.equal(a, [F, Q, HIDDEN]);
  assert.equal(b, a);
});

test.run();
