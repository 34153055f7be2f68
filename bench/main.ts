/**
 * `npm run bench [-- --scenario NAME] [--seconds S] [--smoke]`: Palabre's benchmark harness. Prints progress
 * to stderr, a table to stdout, and writes JSON plus an SVG chart under bench/results/.
 *
 * Scenarios (see the README): `ceiling` — Node's SRTP + UDP per-packet ceiling on one core. The forwarding
 * core, the naive werift fan-out baseline and whole rooms join as the relay's SFU lands (issues 3 and 4).
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { barChart, table, writeResults } from './report.ts';
import { runCeiling } from './ceiling.ts';

const SCENARIOS = ['ceiling'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'ceiling' },
    seconds: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run bench -- [--scenario ${SCENARIOS.join('|')}] [--seconds S] [--smoke]`);
  process.exit(0);
}
if (!SCENARIOS.includes(values.scenario as Scenario)) {
  console.error(`unknown scenario "${values.scenario}": choose one of ${SCENARIOS.join(', ')}`);
  process.exit(2);
}
const seconds = Number(values.seconds ?? (values.smoke ? 0.2 : 3));
if (!(seconds > 0 && seconds <= 600)) {
  console.error('--seconds must be a number between 0 and 600');
  process.exit(2);
}

const progress = (label: string) => process.stderr.write(`… ${label}\n`);
const results = await runCeiling(seconds, progress);
const rows = results.map((r) => ({
  profile: r.profile,
  sealer: r.sealer,
  'UDP send': r.withSend,
  'packets/s per core': Math.round(r.packetsPerCpuSecond),
  'µs/packet': r.nsPerPacket / 1000,
}));
console.log(table(rows));
const chart = barChart(
  'Node per-packet ceiling on one core (SRTP seal, + one UDP send)',
  results.map((r) => ({ label: `${r.profile} ${r.sealer}${r.withSend ? ' + send' : ''}`, value: r.packetsPerCpuSecond })),
  'packets/s',
);
const out = writeResults(fileURLToPath(new URL('./results', import.meta.url)), 'ceiling', { scenario: 'ceiling', seconds, at: new Date().toISOString(), results }, chart);
console.log(`\nwrote ${out.json}\n      ${out.svg}`);
