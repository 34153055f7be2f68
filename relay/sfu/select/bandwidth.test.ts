import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LossBasedEstimate, RateMeter } from './bandwidth.ts';

test('RateMeter: bits per second over the window, forgetting what slid out', () => {
  const m = new RateMeter(1000, 10);
  for (let t = 0; t < 2000; t += 20) m.add(1250, t); // 1,250 B every 20 ms = 500 kbit/s
  assert.ok(Math.abs(m.bps(2000) - 500_000) / 500_000 < 0.06, String(m.bps(2000)));
  assert.ok(m.settled(2000));
  assert.is(m.bps(3100), 0, 'a second of silence empties it');
  const young = new RateMeter();
  young.add(1000, 0);
  young.add(1000, 500);
  assert.is(young.bps(500), 32_000, 'over the time measured so far');
  assert.not.ok(young.settled(500));
});

test('LossBasedEstimate: unlimited until congestion, then down by half the loss, back up by 5 % steps', () => {
  const e = new LossBasedEstimate();
  assert.is(e.report(0, 1_000_000, 0), undefined, 'no loss, nothing to say');
  assert.is(e.estimate, Infinity);
  assert.is(e.report(0.06, 1_000_000, 1000), undefined, '6 %: holds');
  assert.is(e.report(0.2, 1_000_000, 2000), 900_000, '20 % loss at 1 Mb/s: 900 kb/s');
  assert.is(e.report(0.3, 1_000_000, 2100), undefined, 'within 200 ms: remembered, not decided');
  assert.is(e.report(0, 900_000, 2300), 765_000, 'the worst since the last decision counts (30 %)');
  let t = 2300;
  let est = e.estimate;
  while (est !== Infinity && t < 20_000) {
    t += 1000;
    est = e.report(0, 700_000, t) ?? est;
  }
  assert.is(est, Infinity, 'twice what we send again: unlimited');
  assert.ok(t > 5000 && t < 20_000, `recovered after ${t} ms`);
});

test('LossBasedEstimate: a floor', () => {
  const e = new LossBasedEstimate({ floorBps: 100_000 });
  e.report(0.9, 120_000, 0);
  assert.is(e.estimate, 100_000);
});

test('LossBasedEstimate: a REMB well below the video sent is congestion; one near or above it only lifts a lowered estimate', () => {
  const r = new LossBasedEstimate();
  assert.is(r.remb(100_000, 110_000), undefined, 'about what it receives (Chromium without probing): no limit');
  assert.is(r.estimate, Infinity);
  assert.is(r.remb(400_000, 900_000), 400_000, 'under 0.7× the video sent: congestion');
  assert.is(r.remb(300_000, 900_000), 300_000, 'lower still');
  assert.is(r.remb(500_000, 600_000), 500_000, 'recovering: lifts it');
  assert.is(r.remb(450_000, 600_000), undefined, 'never lowered by a REMB that is not congestion');
  assert.is(r.remb(1_300_000, 600_000), Infinity, 'twice the video sent: unlimited again');
  assert.is(r.remb(50_000, 900_000), 100_000, 'not under the floor');
  assert.is(r.remb(0, 900_000), undefined, 'a zero REMB says nothing');
});

test.run();
