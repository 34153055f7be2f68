/**
 * `node --import tsx bench/fanout/compare.ts [--rounds 3] [--seconds 3] [--rates 1000,2000] [--subscribers 10]`
 * (as root; it re-runs itself in a loopback-only network namespace like `npm run bench`).
 *
 * Palabre's relay on its direct send path, on werift's send path, and the naive werift fan-out, one after
 * the other under identical load, for several rounds (the order rotates each round): on a noisy machine
 * only ratios measured side by side mean anything. Per round and rate it prints µs of relay CPU per
 * forwarded packet, and the per-core throughput ratios direct ÷ naive, werift ÷ naive, direct ÷ werift
 * (the inverse ratio of µs per packet, at rates where all three lost < 1 %).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { SendPath } from '../../relay/sfu/transport/relay-peer.ts';
import { runFanout } from './run.ts';
import type { FanoutRow } from './run.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '3' }, rates: { type: 'string', default: '1000,2000' }, subscribers: { type: 'string', default: '10' } } });

const isolated = spawnSync('ip', ['-o', 'link', 'show']).stdout?.toString().trim().split('\n').length === 1;
if (!isolated) {
  const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const r = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...argv], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

type Variant = { label: string; mode: 'palabre' | 'naive'; sendPath?: SendPath };
const VARIANTS: Variant[] = [{ label: 'direct', mode: 'palabre', sendPath: 'direct' }, { label: 'werift', mode: 'palabre', sendPath: 'werift' }, { label: 'naive', mode: 'naive' }];
const rates = values.rates.split(',').map(Number);
const ratios: Record<string, number[]> = { 'direct/naive': [], 'werift/naive': [], 'direct/werift': [] };

for (let round = 0; round < Number(values.rounds); round++) {
  const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
  const rows = new Map<string, FanoutRow[]>();
  for (const v of order) {
    rows.set(v.label, await runFanout({ mode: v.mode, sendPath: v.sendPath, subscribers: Number(values.subscribers), rates, seconds: Number(values.seconds), onProgress: (l) => process.stderr.write(`… round ${round + 1}: ${l}\n`) }));
  }
  for (const rate of rates) {
    const at = (label: string) => rows.get(label)?.find((r) => r.rate === rate);
    const [d, w, n] = ['direct', 'werift', 'naive'].map(at);
    const cell = (r: FanoutRow | undefined) => (r ? `${r.cpuUsPerForwarded.toFixed(1)} µs (loss ${(r.loss * 100).toFixed(2)} %, CPU ${r.relayCpuPercent.toFixed(0)} %)` : 'n/a');
    console.log(`round ${round + 1} @ ${rate}/s × ${values.subscribers}: direct ${cell(d)} | werift ${cell(w)} | naive ${cell(n)}`);
    if (!d || !w || !n || [d, w, n].some((r) => r.loss >= 0.01)) continue;
    ratios['direct/naive']!.push(n.cpuUsPerForwarded / d.cpuUsPerForwarded);
    ratios['werift/naive']!.push(n.cpuUsPerForwarded / w.cpuUsPerForwarded);
    ratios['direct/werift']!.push(w.cpuUsPerForwarded / d.cpuUsPerForwarded);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
for (const [name, xs] of Object.entries(ratios)) console.log(`${name} (per-core throughput): median ${median(xs).toFixed(2)}  [${xs.map((x) => x.toFixed(2)).join(', ')}]`);
