/**
 * WebRTC tools and benchmarks run in a network namespace holding only loopback, so no ICE candidate
 * can name another interface or reach a public address. Call `rerunInLoopbackNamespace()` first thing:
 * outside such a namespace it runs this same command again inside a new one (`unshare -n`, as root,
 * then `ip link set lo up`) and exits with its status; inside, it returns.
 */
import { spawnSync } from 'node:child_process';

/** This process sees one network interface: loopback. */
export function inLoopbackNamespace(): boolean {
  return spawnSync('ip', ['-o', 'link', 'show']).stdout?.toString().trim().split('\n').length === 1;
}

/** Whether `unshare -n` works here (root, or the capability). */
export function canUnshareNetwork(): boolean {
  return spawnSync('unshare', ['-n', 'true']).status === 0;
}

export function rerunInLoopbackNamespace(): void {
  if (inLoopbackNamespace()) return;
  const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const r = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...argv], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
