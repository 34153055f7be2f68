/**
 * What to do about the relay connection when it is in trouble. Pure: the relay link feeds it the
 * connection state it observed and the current time, then acts on the answer (decide, then act).
 *
 * - `disconnected` often heals by itself; after 2 s of it (or at once on `failed`) the client restarts
 *   ICE: the relay answers on the same peer, so every tile and publication stays and media resumes as
 *   soon as a new candidate pair works.
 * - A restart that hasn't brought the connection back within 5 s of the relay's answer gives way to a
 *   rebuild (a new RTCPeerConnection, with backoff), as does a connection that fails before it ever
 *   connected (the relay refuses to restart those). The relay refusing a restart arrives as
 *   `relay-failed`, which rebuilds at once without asking this policy.
 * - Until the relay answers, the restart waits however long that takes: the offer goes over the
 *   signalling socket, which is cut off by the same outage (relayLink.ts re-sends it every 4 s), and a
 *   rebuilt connection would need that socket just as much, then a new DTLS handshake and keyframes.
 *   Counted from the restart itself, the 5 s ran out in any outage over ~13 s, and the link was
 *   rebuilt although a restart would have done (measured in a 12 s one: Chromium noticed it 5.7–6.9 s
 *   in, so the deadline fell only 0.7–1.9 s after the link was back; relay-network.e2e.ts).
 */
export type RelayHealth = {
  connection: RTCPeerConnectionState;
  /** Whether this connection was ever `connected`. */
  connectedOnce: boolean;
  /** When the connection left `connected` (for `disconnected` or `failed`); null while healthy. */
  troubleSince: number | null;
  /** When the ICE restart under way began; null when none is. */
  restartedAt: number | null;
  /** When the relay's answer to that restart was applied (from then on both ends check new pairs); null before. */
  restartAnsweredAt: number | null;
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
      if (h.restartAnsweredAt === null) return { action: 'none', recheckAt: null };
      const deadline = h.restartAnsweredAt + RESTART_TIMEOUT_MS;
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
  if (connection === 'connected') return { connection, connectedOnce: true, troubleSince: null, restartedAt: null, restartAnsweredAt: null };
  const trouble = connection === 'disconnected' || connection === 'failed';
  return { ...h, connection, troubleSince: h.troubleSince ?? (trouble && h.connectedOnce ? now : null) };
}

/** The health once a restart began at `now`. */
export const restarted = (h: RelayHealth, now: number): RelayHealth => ({ ...h, restartedAt: now, restartAnsweredAt: null });

/** The health once the relay's answer to the restart under way was applied at `now` (none under way: unchanged). */
export const restartAnswered = (h: RelayHealth, now: number): RelayHealth => (h.restartedAt === null ? h : { ...h, restartAnsweredAt: now });

export const freshHealth = (): RelayHealth => ({ connection: 'new', connectedOnce: false, troubleSince: null, restartedAt: null, restartAnsweredAt: null });
