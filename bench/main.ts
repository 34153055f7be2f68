/**
 * `npm run bench [-- --scenario NAME] [--seconds S] [--smoke]`: Palabre's benchmark harness. Prints progress
 * to stderr, a table per scenario to stdout, and writes JSON plus an SVG chart under bench/results/.
 *
 * Scenarios (see the README): `core` — the forwarding core alone on synthetic rooms; `ceiling` — Node's
 * SRTP + UDP per-packet ceiling on one core; `all` — both, in one run, so their figures compare. The naive
 * werift fan-out baseline and whole rooms over real ICE/DTLS join as the relay's transport lands.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { barChart, table, writeResults } from './report.ts';
import { runCeiling } from './ceiling.ts';
import { CORE_PRESETS, runCore } from './core.ts';

const SCENARIOS = ['all', 'core', 'ceiling'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    seconds: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run bench -- [--scenario ${SCENARIOS.join('|')}] [--seconds S] [--smoke]`);
  process.exit(0);
}
const scenario = values.scenario as Scenario;
if (!SCENARIOS.includes(scenario)) {
  console.error(`unknown scenario "${values.scenario}": choose one of ${SCENARIOS.join(', ')}`);
  process.exit(2);
}
const seconds = Number(values.seconds ?? (values.smoke ? 0.2 : 3));
if (!(seconds > 0 && seconds <= 600)) {
  console.error('--seconds must be a number between 0 and 600');
  process.exit(2);
}

const progress = (label: string) => process.stderr.write(`… ${label}\n`);
const report: Record<string, unknown> = { scenario, seconds, at: new Date().toISOString() };
const bars: Array<{ label: string; value: number }> = [];

if (scenario === 'all' || scenario === 'core') {
  const core = CORE_PRESETS.map((p) => runCore(p, seconds * 1000, progress));
  report.core = core;
  console.log('\nForwarding core (relay/sfu/forwarder.ts) on synthetic rooms, one core:');
  console.log(table(core.map((r) => ({
    preset: r.preset,
    'packets in': r.packets,
    'deliveries out': r.deliveries,
    'packets/s per core': Math.round(r.packetsPerCpuSecond),
    'ns/packet': Math.round(r.nsPerPacket),
    'deliveries/s per core': Math.round(r.deliveriesPerCpuSecond),
    'heap KB per M packets': Math.round(r.heapBytesPerMillionPackets / 1024),
  }))));
  for (const r of core) bars.push({ label: `core ${r.preset} (deliveries)`, value: r.deliveriesPerCpuSecond });
}

if (scenario === 'all' || scenario === 'ceiling') {
  const ceiling = await runCeiling(seconds, progress);
  report.ceiling = ceiling;
  console.log('\nNode per-packet ceiling on one core (SRTP seal, with and without one UDP send):');
  console.log(table(ceiling.map((r) => ({ profile: r.profile, sealer: r.sealer, 'UDP send': r.withSend, 'packets/s per core': Math.round(r.packetsPerCpuSecond), 'µs/packet': r.nsPerPacket / 1000 }))));
  for (const r of ceiling) bars.push({ label: `ceiling ${r.profile} ${r.sealer}${r.withSend ? ' + send' : ''}`, value: r.packetsPerCpuSecond });
}

const chart = barChart('Palabre bench: per-core throughput (packets or deliveries per CPU second)', bars, '/s');
const out = writeResults(fileURLToPath(new URL('./results', import.meta.url)), scenario, report, chart);
console.log(`\nwrote ${out.json}\n      ${out.svg}`);
