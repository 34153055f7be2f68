/**
 * Is the signalling socket still alive? Pure: signalling.ts feeds it what it observed and the time.
 *
 * A WebSocket does not notice a network outage: TCP keeps retransmitting what it sent, backing off
 * (0.2 s doubling, so after a 12 s outage the next try may come ~6 s after the network is back), and
 * an offer written meanwhile waits behind it. So when a peer connection says the network is in trouble
 * (or back), the client probes: a `ping`, which the relay answers with `pong`. Nothing heard within
 * PROBE_TIMEOUT_MS of the probe: the socket is given up and a new one opened at once (a new TCP
 * connection sends its SYN now). The relay keeps the session across the reconnect (same session id).
 *
 * A socket still connecting after `connectTimeout()` is given up too (a SYN lost to the outage is
 * retried 1 s, then 3 s, 7 s… later by the kernel): 3 s, doubling with each connect that timed out in
 * a row up to 30 s, so a network that is merely slow still gets through. While reconnecting, a probe
 * may start the next attempt early, but not more often than every PROBE_TIMEOUT_MS.
 */
export const PROBE_TIMEOUT_MS = 2000;
export const CONNECT_TIMEOUT_MS = 3000;
const MAX_CONNECT_TIMEOUT_MS = 30_000;

/** How long a connect may take after `timedOut` connects in a row timed out. */
export function connectTimeout(timedOut: number): number {
  return Math.min(MAX_CONNECT_TIMEOUT_MS, CONNECT_TIMEOUT_MS * 2 ** Math.min(timedOut, 10));
}

export type ProbeState = {
  /** When the last probe was sent (null: none pending). */
  probeSentAt: number | null;
  /** When the last message arrived from the relay. */
  lastHeardAt: number;
};

/** The probe went unanswered: give the socket up. */
export function probeUnanswered(s: ProbeState, now: number): boolean {
  return s.probeSentAt !== null && s.lastHeardAt < s.probeSentAt && now - s.probeSentAt >= PROBE_TIMEOUT_MS;
}

/**
 * A peer connection's new state says its network went away (`disconnected`, `failed`) or came back
 * (`connected` after trouble): the moments to probe. `wasTroubled`: it was in trouble before this state.
 */
export function networkChanged(state: RTCIceConnectionState | RTCPeerConnectionState, wasTroubled: boolean): boolean {
  return state === 'disconnected' || state === 'failed' || (wasTroubled && state === 'connected');
}

/** While reconnecting: may a probe start the next attempt now instead of waiting for the backoff? */
export function mayAttemptEarly(lastAttemptAt: number, now: number): boolean {
  return now - lastAttemptAt >= PROBE_TIMEOUT_MS;
}
