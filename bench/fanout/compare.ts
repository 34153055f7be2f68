/**
 * `node --import tsx bench/fanout/compare.ts [--rounds 3] [--seconds 3] [--rates 1000,2000] [--subscribers 10]
 *   [--variants direct,werift-receive,werift-send,naive]` (as root; it re-runs itself in a loopback-only
 * network namespace like `npm run bench`).
 *
 * Variants of Palabre's relay (`direct`: its default paths; `werift-receive`: publishers' packets through
 * werift's receive pipeline instead of rtp-intake.ts; `werift-send`: werift's RTCRtpSender instead of
 * direct-sender.ts) and the naive werift fan-out, one after the other under identical load, for several
 * rounds (the order rotates each round): on a noisy machine only ratios measured side by side mean
 * anything. Per round and rate it prints µs of relay CPU per forwarded packet, and for each pair of
 * variants the per-core throughput ratio (the inverse ratio of µs per packet, at rates where both lost
 * < 1 %), with its median over the rounds.
 */
import { rerunInLoopbackNamespace } from '../../relay/test/netns.ts';
import { parseArgs } from 'node:util';
import type { ReceivePath, SendPath } from '../../relay/sfu/transport/relay-peer.ts';
import { median } from '../report.ts';
import { runFanout } from './run.ts';
import type { FanoutRow } from './run.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
    rates: { type: 'string', default: '1000,2000' },
    subscribers: { type: 'string', default: '10' },
    variants: { type: 'string', default: 'direct,werift-receive,naive' },
  },
});

rerunInLoopbackNamespace();

type Variant = { label: string; mode: 'palabre' | 'naive'; sendPath?: SendPath; receivePath?: ReceivePath };
const ALL: Variant[] = [
  { label: 'direct', mode: 'palabre', sendPath: 'direct', receivePath: 'direct' },
  { label: 'werift-receive', mode: 'palabre', sendPath: 'direct', receivePath: 'werift' },
  { label: 'werift-send', mode: 'palabre', sendPath: 'werift', receivePath: 'direct' },
  { label: 'naive', mode: 'naive' },
];
const VARIANTS = values.variants.split(',').map((label) => {
  const v = ALL.find((x) => x.label === label);
  if (!v) throw new Error(`unknown variant "${label}": choose from ${ALL.map((x) => x.label).join(', ')}`);
  return v;
});
const rates = values.rates.split(',').map(Number);
const ratios = new Map<string, number[]>();
const pairs = VARIANTS.flatMap((a, i) => VARIANTS.slice(i + 1).map((b) => [a.label, b.label] as const));

for (let round = 0; round < Number(values.rounds); round++) {
  const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
  const rows = new Map<string, FanoutRow[]>();
  for (const v of order) {
    rows.set(v.label, await runFanout({ mode: v.mode, sendPath: v.sendPath, receivePath: v.receivePath, subscribers: Number(values.subscribers), rates, seconds: Number(values.seconds), onProgress: (l) => process.stderr.write(`… round ${round + 1}: ${l}\n`) }));
  }
  for (const rate of rates) {
    const at = (label: string) => rows.get(label)?.find((r) => r.rate === rate);
    const cell = (r: FanoutRow | undefined) => (r ? `${r.cpuUsPerForwarded.toFixed(1)} µs (loss ${(r.loss * 100).toFixed(2)} %, CPU ${r.relayCpuPercent.toFixed(0)} %)` : 'n/a');
    console.log(`round ${round + 1} @ ${rate}/s × ${values.subscribers}: ${VARIANTS.map((v) => `${v.label} ${cell(at(v.label))}`).join(' | ')}`);
    // Per-core throughput of a over b is the inverse ratio of µs per packet, at rates where both lost < 1 %.
    for (const [a, b] of pairs) {
      const [ra, rb] = [at(a), at(b)];
      if (!ra || !rb || ra.loss >= 0.01 || rb.loss >= 0.01) continue;
      const key = `${a}/${b}`;
      ratios.set(key, [...(ratios.get(key) ?? []), rb.cpuUsPerForwarded / ra.cpuUsPerForwarded]);
    }
  }
}
for (const [name, xs] of ratios) console.log(`${name} (per-core throughput): median ${median(xs).toFixed(2)}  [${xs.map((x) => x.toFixed(2)).join(', ')}]`);
