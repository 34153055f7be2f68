/**
 * What to do about the relay connection when it is in trouble. Pure: the relay link feeds it the
 * connection state it observed and the current time, then acts on the answer (decide, then act).
 *
 * - `disconnected` often heals by itself; after 2 s of it (or at once on `failed`) the client restarts
 *   ICE: the relay answers on the same peer, so every tile and publication stays and media resumes as
 *   soon as a new candidate pair works.
 * - A restart that hasn't brought the connection back within 5 s gives way to a rebuild (a new
 *   RTCPeerConnection, with backoff), as does a connection that fails before it ever connected (the
 *   relay refuses to restart those). The relay refusing a restart arrives as `relay-failed`, which
 *   rebuilds at once without asking this policy.
 */
export type RelayHealth = {
  connection: RTCPeerConnectionState;
  /** Whether this connection was ever `connected`. */
  connectedOnce: boolean;
  /** When the connection left `connected` (for `disconnected` or `failed`); null while healthy. */
  troubleSince: number | null;
  /** When the ICE restart under way began; null when none is. */
  restartedAt: number | null;
};

export type RelayAction = 'none' | 'restart-ice' | 'rebuild';

/** The action, and when to decide again if nothing changes before (null: on the next state change). */
export type RelayDecision = { action: RelayAction; recheckAt: number | null };

export const DISCONNECTED_GRACE_MS = 2000;
export const RESTART_TIMEOUT_MS = 5000;

export interface RelayRecoveryPolicy {
  decide(health: RelayHealth, now: number): RelayDecision;
}

export const defaultRelayRecovery: RelayRecoveryPolicy = {
  decide(h, now) {
    if (h.connection === 'connected' || h.connection === 'closed') return { action: 'none', recheckAt: null };
    if (h.restartedAt !== null) {
      const deadline = h.restartedAt + RESTART_TIMEOUT_MS;
      return now >= deadline ? { action: 'rebuild', recheckAt: null } : { action: 'none', recheckAt: deadline };
    }
    if (h.connection === 'failed') return { action: h.connectedOnce ? 'restart-ice' : 'rebuild', recheckAt: null };
    if (h.connection !== 'disconnected' || h.troubleSince === null) return { action: 'none', recheckAt: null };
    const due = h.troubleSince + DISCONNECTED_GRACE_MS;
    return now >= due ? { action: 'restart-ice', recheckAt: null } : { action: 'none', recheckAt: due };
  },
};

/** The health after a state change at `now`: trouble starts on leaving `connected`, ends on coming back. */
export function observe(h: RelayHealth, connection: RTCPeerConnectionState, now: number): RelayHealth {
  if (connection === 'connected') return { connection, connectedOnce: true, troubleSince: null, restartedAt: null };
  const trouble = connection === 'disconnected' || connection === 'failed';
  return { ...h, connection, troubleSince: h.troubleSince ?? (trouble && h.connectedOnce ? now : null) };
}

export const freshHealth = (): RelayHealth => ({ connection: 'new', connectedOnce: false, troubleSince: null, restartedAt: null });
