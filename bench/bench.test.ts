import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCeiling } from './ceiling.ts';
import { CORE_PRESETS, runCore } from './core.ts';
import { barChart, table, xyChart } from './report.ts';
import { StreamStats, percentile } from './rooms/stream-stats.ts';
import { audioPacket, sentUsOf, vp8Frame } from './rooms/media.ts';

test('the ceiling scenario measures all four sealers with and without a UDP send, with sane figures', async () => {
  const labels: string[] = [];
  const results = await runCeiling(0.05, (l) => labels.push(l));
  assert.is(results.length, 8);
  assert.is(labels.length, 8, 'progress is reported for each measurement');
  for (const r of results) {
    // Sanity, not timing: a packet costs more than 100 ns and less than 10 ms on any machine.
    assert.ok(r.packetsPerCpuSecond > 100 && r.packetsPerCpuSecond < 1e7, `${r.profile} ${r.sealer}: ${r.packetsPerCpuSecond}`);
    assert.ok(Math.abs(r.nsPerPacket * r.packetsPerCpuSecond - 1e9) < 1, 'ns/packet is the inverse of the rate');
  }
});

test('the core scenario forwards every preset with sane figures: audio fans out to about three per packet', () => {
  for (const preset of CORE_PRESETS) {
    const r = runCore(preset, 200);
    assert.ok(r.packets > 1000, `${preset.name}: ${r.packets} packets`);
    assert.ok(r.deliveries > r.packets, `${preset.name}: fan-out (${r.deliveries} for ${r.packets})`);
    assert.ok(r.nsPerPacket > 10 && r.nsPerPacket < 1e7, `${preset.name}: ${r.nsPerPacket} ns/packet`);
  }
});

test('table() aligns columns and barChart() draws one bar per row with escaped labels', () => {
  const t = table([{ a: 'x', n: 1.5 }, { a: 'longer', n: 1234.4 }]).split('\n');
  assert.is(t.length, 4);
  assert.is(t[0]!.indexOf('n'), t[2]!.indexOf('1.50'));
  const svg = barChart('T <1>', [{ label: 'a&b', value: 10 }, { label: 'c', value: 5 }], 'pps');
  assert.is(svg.match(/<rect x=/g)?.length, 2);
  assert.match(svg, 'a&amp;b');
  assert.match(svg, 'T &lt;1&gt;');
});

test('StreamStats counts sequence gaps across the 16-bit wrap as loss, and late packets as received', () => {
  const s = new StreamStats(48_000);
  const seqs = [65533, 65534, 65535, 1, 0, 3]; // 2 missing; 0 arrives late
  seqs.forEach((seq, i) => s.add(seq, i * 960, i * 20));
  assert.equal([s.received, s.expected, s.lost], [6, 7, 1]);
  assert.ok(s.jitterMs < 1e-9, 'perfectly paced packets have no jitter');
  const j = new StreamStats(90_000);
  for (let i = 0; i < 200; i++) j.add(i, i * 3000, i * (1000 / 30) + (i % 2 ? 4 : 0));
  assert.ok(j.jitterMs > 2 && j.jitterMs < 5, `alternating 4 ms late gives ~4 ms of jitter: ${j.jitterMs}`);
  assert.is(percentile([1, 2, 3, 4], 50), 2);
  assert.ok(Number.isNaN(percentile([], 95)));
});

test('the rooms generator puts its send time where receivers read it, in audio and in every VP8 packet', () => {
  const audio = audioPacket({ pt: 111, seq: 1, ts: 2, ssrc: 3, levelExtId: 1, level: 0x90, tag: 7, sentUs: 123456.5 });
  assert.is(sentUsOf(audio, 111), 123456.5);
  const frame = vp8Frame({ pt: 96, firstSeq: 65535, ts: 9, ssrc: 4, ridExtId: 9, rid: 'f', keyframe: true, packets: 3, payload: 1100, tag: 7, sentUs: 42 });
  assert.equal(frame.map((p) => sentUsOf(p, 111)), [42, 42, 42]);
  assert.equal(frame.map((p) => (p[2]! << 8) | p[3]!), [65535, 0, 1]);
  assert.equal(frame.map((p) => p[1]! >> 7), [0, 0, 1], 'the marker on the last packet of the frame');
});

test('xyChart() draws one line per series in each panel', () => {
  const svg = xyChart('T', 'participants', [
    { title: 'loss', unit: '%', series: [{ label: 'a', points: [[25, 0.1], [150, 2]] }] },
    { title: 'CPU', unit: '%', series: [{ label: 'a', points: [[25, 10]] }, { label: 'b', points: [[150, 90]] }] },
  ]);
  assert.is(svg.match(/<polyline/g)?.length, 3);
  assert.is(svg.match(/<circle/g)?.length, 4);
});

test.run();
