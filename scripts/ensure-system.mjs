#!/usr/bin/env node
// pretest: installs the system packages the tests need when they are missing (Debian, apt-get,
// idempotent: instant when everything is present). Without root it says exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needs = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium'), why: 'browser end-to-end tests' },
  { pkg: 'iproute2', present: () => has('ip'), why: 'an isolated loopback-only network namespace for WebRTC tests' },
  { pkg: 'util-linux', present: () => has('unshare'), why: 'unshare, for that network namespace' },
];

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const missing = needs.filter((n) => !n.present());
if (missing.length === 0) process.exit(0);

const list = missing.map((m) => m.pkg).join(' ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !has('apt-get')) {
  console.error(`Missing system packages: ${list}`);
  for (const m of missing) console.error(`  ${m.pkg}: ${m.why}`);
  console.error(`Install them, e.g.: sudo apt-get update && sudo apt-get install -y ${list}`);
  process.exit(1);
}
console.error(`Installing system packages for the tests: ${list} (apt-get)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing.map((m) => m.pkg)], { stdio: 'inherit', env });
const still = missing.filter((n) => !n.present());
if (still.length > 0) {
  console.error(`Still missing after apt-get: ${still.map((m) => m.pkg).join(' ')}`);
  process.exit(1);
}
