#!/usr/bin/env node
// `npm test`: typecheck, unit tests, Node integration tests, browser end-to-end tests, in that order.
// WebRTC tests run in a network namespace that holds only loopback (when root), so no test can reach
// or gather any address but 127.0.0.1. Prints one closing line: `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';

const stages = [
  { name: 'typecheck', cmd: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'unit', uvu: ['.', '(crdt|relay|client|bench)/.*\\.test\\.ts$'] },
  { name: 'integration', uvu: ['.', '(relay|bench)/.*\\.int\\.ts$'], isolated: true },
  { name: 'build', cmd: ['npx', 'vite', 'build', '--logLevel', 'warn'] },
  { name: 'e2e', uvu: ['client/e2e', '\\.e2e\\.ts$'], isolated: true },
];

const only = process.argv[2];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canIsolate = isRoot && spawnSync('unshare', ['-n', 'true']).status === 0;
if (!canIsolate) console.warn('note: not root or no unshare: WebRTC tests run in the host network namespace');

let passed = 0;
let failed = 0;
const started = Date.now();

for (const stage of stages) {
  if (only && stage.name !== only) continue;
  const base = stage.uvu ? ['node', '--import', 'tsx', 'node_modules/uvu/bin.js', ...stage.uvu] : stage.cmd;
  const argv = stage.isolated && canIsolate ? ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...base] : base;
  process.stdout.write(`\n=== ${stage.name} ===\n`);
  const t0 = Date.now();
  const { code, output } = await run(argv);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (stage.uvu) {
    const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? 0);
    const ok = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? 0);
    passed += ok;
    failed += Math.max(total - ok, code === 0 ? 0 : 1);
    if (total === 0 && code === 0) failed += 1, console.error(`${stage.name}: no test ran`);
  } else if (code === 0) passed += 1;
  else failed += 1;
  process.stdout.write(`=== ${stage.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${secs} s ===\n`);
  if (code !== 0 && stage.name === 'typecheck') break;
}

console.log(`\nnpm test finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

function run(argv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    const tee = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
