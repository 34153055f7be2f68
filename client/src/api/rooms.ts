/**
 * The relay's join API (relay/http/api.ts). Every call resolves to a result value; network failures
 * and error statuses are cases, not exceptions, so the views can show the right message.
 */
import type { JoinResponse } from '../lib/joinCache.ts';

export type ApiFailure =
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'network' }
  | { ok: false; kind: 'rejected'; status: number; code: string; message: string };

export type ApiResult<T> = { ok: true; value: T } | ApiFailure;

export type CreatedRoom = { roomId: string; url: string; hostToken: string };
export type RoomInfo = { roomId: string; createdAt: number; participants: number };

async function call<T>(path: string, init?: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) } });
  } catch {
    return { ok: false, kind: 'network' };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    if (response.ok) return { ok: false, kind: 'network' };
  }
  if (response.status === 404) return { ok: false, kind: 'not-found' };
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    return {
      ok: false,
      kind: 'rejected',
      status: response.status,
      code: typeof error?.code === 'string' ? error.code : 'error',
      message: typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
    };
  }
  return { ok: true, value: body as T };
}

export function createRoom(): Promise<ApiResult<CreatedRoom>> {
  return call<CreatedRoom>('/api/rooms', { method: 'POST', body: '{}' });
}

export function getRoom(roomId: string): Promise<ApiResult<RoomInfo>> {
  return call<RoomInfo>(`/api/rooms/${encodeURIComponent(roomId)}`);
}

export function joinRoom(roomId: string, name: string, hostToken: string | null): Promise<ApiResult<JoinResponse>> {
  const body = hostToken ? { name, hostToken } : { name };
  return call<JoinResponse>(`/api/rooms/${encodeURIComponent(roomId)}/join`, { method: 'POST', body: JSON.stringify(body) });
}
