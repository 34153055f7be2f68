/** Bounded waiting and a seeded PRNG for the integration tests: no wait may hang a test run. */

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Resolves like `promise`, or rejects with "timed out after N ms waiting for <label>". */
export function within<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms waiting for ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every `everyMs` until it holds; rejects after `ms` with `label` and `detail()`. */
export async function waitUntil(condition: () => boolean, ms: number, label: string, detail?: () => string, everyMs = 20): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new TimeoutError(`timed out after ${ms} ms waiting for ${label}${detail ? ` (${detail()})` : ''}`);
    await sleep(everyMs);
  }
  return Date.now() - started;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The seeded PRNG (mulberry32) of crdt/testing, so fuzz runs reproduce from a printed seed. */
export { mulberry32 as prng } from '../../crdt/testing/network.ts';
