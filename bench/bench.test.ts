import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCeiling } from './ceiling.ts';
import { CORE_PRESETS, runCore } from './core.ts';
import { barChart, table } from './report.ts';

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

test.run();
