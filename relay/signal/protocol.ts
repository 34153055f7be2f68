/**
 * Signalling protocol between a participant's browser and the relay, on `ws://host/signal/<room-id>`.
 *
 * JSON text frames, one message each, discriminated by `type`. The socket is opened with
 * `?token=<join token>&session=<session id>`: the token (from the join API) says who you are and in which
 * room; the session id is made by the client once per page load, so a socket that reconnects after a
 * network blip or a relay restart is recognised as the same session (its peer links are kept), while a
 * reloaded page is a new session that replaces the old one (no ghost tile).
 *
 * In mesh mode the relay only carries simple-peer `signal` payloads between sessions of one room and
 * tells everyone who is present. Every frame off the socket is validated here before it reaches the room;
 * anything invalid gets an `error` frame back and is never forwarded.
 */
import { z } from 'zod';

export const MAX_FRAME_BYTES = 64 * 1024;
export const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

const sessionId = z.string().regex(SESSION_ID);

/** A simple-peer signal payload (offer/answer/candidate/renegotiate/transceiverRequest): opaque to us. */
const signalData = z.record(z.string(), z.unknown());

export const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('signal'), to: sessionId, data: signalData }).strict(),
  z.object({ type: z.literal('ping'), id: z.number().int().nonnegative().optional() }).strict(),
  z.object({ type: z.literal('leave') }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export type PeerInfo = { participantId: string; sessionId: string; name: string; joinedAt: number };

export type MediaMode = 'mesh' | 'relay';

export type ErrorCode =
  | 'bad-json'
  | 'bad-message'
  | 'too-large'
  | 'unknown-peer'
  | 'room-full'
  | 'replaced'
  | 'rate-limited'
  | 'room-not-found'
  | 'bad-token'
  | 'bad-session';

export type ServerMessage =
  | {
      type: 'welcome';
      self: PeerInfo;
      peers: PeerInfo[];
      mode: MediaMode;
      epoch: number;
      meshMax: number;
      roomMax: number;
      iceServers: IceServer[];
    }
  | { type: 'peer-joined'; peer: PeerInfo }
  | { type: 'peer-left'; participantId: string; sessionId: string }
  | { type: 'signal'; from: string; data: Record<string, unknown> }
  | { type: 'pong'; id?: number; now: number }
  | { type: 'error'; code: ErrorCode; message: string; fatal: boolean };

export type IceServer = { urls: string | string[]; username?: string; credential?: string };

/** Close codes the relay uses on the signalling and Yjs sockets (4000–4999 are application codes). */
export const CLOSE = {
  replaced: 4001,
  left: 4002,
  badToken: 4401,
  forbidden: 4403,
  notFound: 4404,
  roomFull: 4409,
} as const;

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; code: ErrorCode; message: string };

/** Validates one frame off the socket. Never throws. */
export function parseClientFrame(raw: string | Uint8Array): ParseResult {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
  if (size > MAX_FRAME_BYTES) return { ok: false, code: 'too-large', message: `frame of ${size} bytes exceeds ${MAX_FRAME_BYTES}` };
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad-json', message: 'frame is not valid JSON' };
  }
  const parsed = clientMessage.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, code: 'bad-message', message: `invalid message${where}: ${issue?.message ?? 'unknown'}` };
  }
  return { ok: true, message: parsed.data };
}
