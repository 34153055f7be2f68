/**
 * What to do about one mesh link whose connection is in trouble. Pure: the mesh store feeds it what
 * it observed and the current time, then acts on the answer (decide, then act).
 *
 * - ICE `disconnected` often heals by itself (Wi-Fi hiccup); after 3 s the initiator restarts ICE,
 *   which keeps the DTLS session and the media tracks. Only the initiator acts, so both ends never
 *   offer at once.
 * - When simple-peer gave up (`failed` → the peer is destroyed) and the remote session is still in the
 *   room, the initiator builds a fresh link; the other side accepts the new offer. A short grace lets a
 *   `peer-left` (the remote reloaded or left) arrive first.
 */
export type LinkHealth = {
  /** `destroyed` once simple-peer closed the link (failure or the remote closing its side). */
  ice: RTCIceConnectionState | 'destroyed';
  initiator: boolean;
  /** When `ice` became `disconnected` (or `destroyed`), null otherwise. */
  troubleSince: number | null;
  lastRestartAt: number | null;
  /** Whether the signalling roster still lists the remote session. */
  remotePresent: boolean;
};

export type LinkAction = 'none' | 'restart-ice' | 'recreate' | 'forget';

export const DISCONNECTED_GRACE_MS = 3000;
export const RESTART_RETRY_MS = 8000;
export const RECREATE_GRACE_MS = 1500;
export const FORGET_AFTER_MS = 15000;

export interface ReconnectPolicy {
  decide(link: LinkHealth, now: number): LinkAction;
}

export const defaultReconnectPolicy: ReconnectPolicy = {
  decide(link, now) {
    if (link.ice === 'destroyed') {
      const since = link.troubleSince ?? now;
      if (link.remotePresent) {
        return link.initiator && now - since >= RECREATE_GRACE_MS ? 'recreate' : 'none';
      }
      return now - since >= FORGET_AFTER_MS ? 'forget' : 'none';
    }
    if (link.ice !== 'disconnected' || link.troubleSince === null || !link.initiator) return 'none';
    if (now - link.troubleSince < DISCONNECTED_GRACE_MS) return 'none';
    if (link.lastRestartAt !== null && now - link.lastRestartAt < RESTART_RETRY_MS) return 'none';
    return 'restart-ice';
  },
};
