/** Reconnect delays for the signalling socket: 0.5 s, doubling, capped at 5 s. */
export type BackoffOptions = { initialMs: number; maxMs: number };

export const SIGNALLING_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 5000 };

/** Delay before reconnect attempt number `attempt` (0 = first retry after a drop). */
export function backoffDelay(attempt: number, options: BackoffOptions = SIGNALLING_BACKOFF): number {
  if (attempt < 0) return options.initialMs;
  return Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
}
