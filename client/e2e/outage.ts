/**
 * What the network-outage tests (network.e2e.ts: a mesh call; relay-network.e2e.ts: a relay room)
 * share: they take the loopback interface down, so they run only inside the loopback-only network
 * namespace that `npm test` makes as root (never touching a real interface), each with a relay and a
 * browser of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import type { Test } from 'uvu';
import { RelayProcess, freePort, launchBrowser } from './harness.ts';

export const LOOPBACK_ONLY = spawnSync('ip', ['-o', 'link', 'show']).stdout?.toString().trim().split('\n').length === 1;

/** True (after saying so) when this test can't run here. */
export function skipUnlessLoopbackOnly(): boolean {
  if (!LOOPBACK_ONLY) console.log('  skipped: needs the loopback-only network namespace of `npm test` (root)');
  return !LOOPBACK_ONLY;
}

export function setLoopback(up: boolean): void {
  execFileSync('ip', ['link', 'set', 'lo', up ? 'up' : 'down']);
}

/** A relay (with `env`) and a browser for `suite`'s tests, started before them and stopped after, the loopback left up. */
export function withRelayAndBrowser(suite: Test, env: Record<string, string> = {}): { relay: () => RelayProcess; browser: () => Browser } {
  let relay: RelayProcess | undefined;
  let browser: Browser | undefined;
  suite.before(async () => {
    if (!LOOPBACK_ONLY) return;
    relay = new RelayProcess(await freePort(), env);
    await relay.start();
    browser = await launchBrowser();
  });
  suite.after(async () => {
    if (LOOPBACK_ONLY) spawnSync('ip', ['link', 'set', 'lo', 'up']);
    await browser?.close();
    await relay?.stop();
  });
  return { relay: () => relay!, browser: () => browser! };
}
