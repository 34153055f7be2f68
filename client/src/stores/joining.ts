/**
 * Getting a join token for a room: reuse the one this tab already has (same participant id after a
 * reload) while it has more than 5 minutes left, otherwise ask the join API, passing the host token
 * this browser got when it created the room.
 */
import { joinRoom, type ApiResult } from '../api/rooms.ts';
import { hostTokenKey, isReusable, joinCacheKey, readCachedJoin, type CachedJoin } from '../lib/joinCache.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';

export async function obtainJoin(roomId: string, name: string): Promise<ApiResult<CachedJoin>> {
  const cached = readCachedJoin(readStorage('session', joinCacheKey(roomId)));
  if (isReusable(cached, name, Date.now())) return { ok: true, value: cached };
  const result = await joinRoom(roomId, name, readStorage('local', hostTokenKey(roomId)));
  if (!result.ok) return result;
  const join: CachedJoin = { ...result.value, name };
  writeStorage('session', joinCacheKey(roomId), JSON.stringify(join));
  return { ok: true, value: join };
}

/** The token was refused (expired, signing key rotated): the next join asks for a fresh one. */
export function forgetJoin(roomId: string): void {
  writeStorage('session', joinCacheKey(roomId), null);
}
