import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assess, pushSample, type StatsSample } from './quality.ts';

/** `seconds` of a steady stream: `pps` packets/s with `lossPct` lost, `fps`, `jitterMs`, frozen `frozenS` in all. */
function stream(seconds: number, o: { pps?: number; lossPct?: number; fps?: number; jitterMs?: number; frozenS?: number } = {}): StatsSample[] {
  const { pps = 100, lossPct = 0, fps = 15, jitterMs = 5, frozenS = 0 } = o;
  const out: StatsSample[] = [];
  for (let s = 0; s <= seconds; s += 2) {
    const sent = pps * s;
    out.push({ at: 10_000 + s * 1000, packetsLost: (sent * lossPct) / 100, packetsReceived: sent * (1 - lossPct / 100), jitter: jitterMs / 1000, framesDecoded: fps * s, freezesDuration: (frozenS * s) / seconds });
  }
  return out;
}
const motion = { expectMotion: true };

test('assess() is null until two samples can be compared', () => {
  assert.is(assess([], motion), null);
  assert.is(assess(stream(0), motion), null);
});

test('assess() calls a clean 15 fps stream good and reports its figures', () => {
  const a = assess(stream(6), motion)!;
  assert.is(a.quality, 'good');
  assert.is(a.lossPct, 0);
  assert.is(a.fps, 15);
  assert.is(a.jitterMs, 5);
});

test('assess() grades packet loss: 3 % fair, 10 % poor', () => {
  assert.is(assess(stream(6, { lossPct: 3 }), motion)!.quality, 'fair');
  assert.is(assess(stream(6, { lossPct: 10 }), motion)!.quality, 'poor');
  assert.ok(Math.abs(assess(stream(6, { lossPct: 10 }), motion)!.lossPct - 10) < 1e-9);
});

test('assess() grades jitter: 50 ms fair, 150 ms poor', () => {
  assert.is(assess(stream(6, { jitterMs: 50 }), motion)!.quality, 'fair');
  assert.is(assess(stream(6, { jitterMs: 150 }), motion)!.quality, 'poor');
});

test('assess() grades frame rate and freezes only when motion is expected', () => {
  assert.is(assess(stream(6, { fps: 7 }), motion)!.quality, 'fair');
  assert.is(assess(stream(6, { fps: 2 }), motion)!.quality, 'poor');
  assert.is(assess(stream(6, { fps: 2 }), { expectMotion: false })!.quality, 'good', 'a still screen share');
  assert.is(assess(stream(6, { frozenS: 0.5 }), motion)!.quality, 'fair');
  assert.is(assess(stream(6, { frozenS: 2 }), motion)!.quality, 'poor');
});

test('assess() calls a camera that receives nothing at all poor, a camera turned off not', () => {
  const dead = stream(6, { pps: 0, fps: 0 });
  assert.is(assess(dead, motion)!.quality, 'poor');
  assert.is(assess(dead, { expectMotion: false })!.quality, 'good');
});

test('pushSample() keeps about one window of samples and starts over when counters go backwards', () => {
  let samples: StatsSample[] = [];
  for (const s of stream(20)) samples = pushSample(samples, s, 6000);
  assert.equal(samples.map((s) => s.at - 10_000), [14_000, 16_000, 18_000, 20_000]);
  const reset = { ...samples[0]!, at: 40_000, packetsReceived: 3 };
  assert.equal(pushSample(samples, reset), [reset]);
});

test('assess() looks at the window only: an old burst of loss is forgotten', () => {
  let samples: StatsSample[] = [];
  const lossy = stream(10, { lossPct: 20 });
  for (const s of lossy) samples = pushSample(samples, s);
  assert.is(assess(samples, motion)!.quality, 'poor');
  const end = lossy[lossy.length - 1]!;
  for (let i = 1; i <= 4; i++) {
    samples = pushSample(samples, { ...end, at: end.at + i * 2000, packetsReceived: end.packetsReceived + i * 200, framesDecoded: end.framesDecoded + i * 30 });
  }
  assert.is(assess(samples, motion)!.quality, 'good');
});

test.run();
