/**
 * The join API (JSON over HTTP), documented in the README:
 *   POST /api/rooms                 → 201 { roomId, url, hostToken }
 *   GET  /api/rooms/:roomId         → 200 { roomId, createdAt, participants } | 404
 *   POST /api/rooms/:roomId/join    → 200 { participantId, token, expiresAt, role, iceServers, meshMax, roomMax }
 * Errors are `{ error: { code, message } }` with a 4xx status. Bodies are validated by a schema.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import type { TokenSigner } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import type { RoomStore } from '../rooms/room-store.ts';
import { isRoomId } from '../rooms/room-id.ts';

export type ApiDeps = {
  config: Config;
  rooms: RoomStore;
  tokens: TokenSigner;
  clock: () => number;
  participantCount(roomId: string): number;
};

const joinBody = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(64, 'name is at most 64 characters'),
    hostToken: z.string().max(4096).optional(),
  })
  .strict();

export function apiError(c: Context, status: 400 | 401 | 404 | 409 | 413 | 415 | 429, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

export function createApi(deps: ApiDeps): Hono {
  const api = new Hono();
  api.use('*', bodyLimit({ maxSize: 16 * 1024, onError: (c) => apiError(c, 413, 'too-large', 'request body exceeds 16 KB') }));

  api.post('/rooms', (c) => {
    const room = deps.rooms.create(deps.clock());
    const base = deps.config.publicUrl ?? new URL(c.req.url).origin;
    return c.json({ roomId: room.id, url: `${base}/${room.id}`, hostToken: deps.tokens.signHost(room.id) }, 201);
  });

  api.get('/rooms/:roomId', (c) => {
    const room = lookup(deps, c.req.param('roomId'));
    if (!room) return apiError(c, 404, 'room-not-found', 'no meeting with this code');
    return c.json({ roomId: room.id, createdAt: room.createdAt, participants: deps.participantCount(room.id) });
  });

  api.post('/rooms/:roomId/join', async (c) => {
    const room = lookup(deps, c.req.param('roomId'));
    if (!room) return apiError(c, 404, 'room-not-found', 'no meeting with this code');
    if (!(c.req.header('content-type') ?? '').includes('application/json')) {
      return apiError(c, 415, 'bad-content-type', 'send JSON with Content-Type: application/json');
    }
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return apiError(c, 400, 'bad-json', 'request body is not valid JSON');
    }
    const body = joinBody.safeParse(json);
    if (!body.success) {
      const issue = body.error.issues[0];
      return apiError(c, 400, 'bad-request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    const role = body.data.hostToken && deps.tokens.verifyHost(body.data.hostToken, room.id) ? 'host' : 'guest';
    const participantId = randomBytes(12).toString('base64url');
    const expiresAt = deps.clock() + deps.config.tokenTtlMs;
    const token = deps.tokens.signJoin({ room: room.id, pid: participantId, name: body.data.name, role, exp: expiresAt });
    return c.json({
      participantId,
      token,
      expiresAt,
      role,
      iceServers: deps.config.iceServers,
      meshMax: deps.config.meshMax,
      roomMax: deps.config.roomMax,
    });
  });

  api.all('*', (c) => apiError(c, 404, 'not-found', `no API route ${c.req.method} ${new URL(c.req.url).pathname}`));
  return api;
}

function lookup(deps: ApiDeps, roomId: string) {
  return isRoomId(roomId) ? deps.rooms.get(roomId) : undefined;
}
