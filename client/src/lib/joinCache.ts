/**
 * The join response is kept in sessionStorage per room so that a reloaded tab rejoins with the same
 * participant id (the relay then replaces the old session instead of showing a ghost tile). It is
 * reused only while the token has more than 5 minutes left and only for the same display name (the
 * name is part of the signed token).
 */
export type JoinResponse = {
  participantId: string;
  token: string;
  expiresAt: number;
  role: 'host' | 'guest';
  iceServers: RTCIceServer[];
  meshMax: number;
  roomMax: number;
};

export type CachedJoin = JoinResponse & { name: string };

export const REUSE_MARGIN_MS = 5 * 60 * 1000;

export function joinCacheKey(roomId: string): string {
  return `palabre:join:${roomId}`;
}

export function hostTokenKey(roomId: string): string {
  return `palabre:host:${roomId}`;
}

/** Parses a stored entry; anything malformed counts as absent. */
export function readCachedJoin(raw: string | null): CachedJoin | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<CachedJoin>;
    if (typeof value.participantId !== 'string' || typeof value.token !== 'string' || typeof value.expiresAt !== 'number' || typeof value.name !== 'string') return null;
    return {
      participantId: value.participantId,
      token: value.token,
      expiresAt: value.expiresAt,
      role: value.role === 'host' ? 'host' : 'guest',
      iceServers: Array.isArray(value.iceServers) ? value.iceServers : [],
      meshMax: typeof value.meshMax === 'number' ? value.meshMax : 4,
      roomMax: typeof value.roomMax === 'number' ? value.roomMax : 150,
      name: value.name,
    };
  } catch {
    return null;
  }
}

export function isReusable(cached: CachedJoin | null, name: string, now: number): cached is CachedJoin {
  return cached !== null && cached.name === name && cached.expiresAt - now > REUSE_MARGIN_MS;
}
