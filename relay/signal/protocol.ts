/**
 * Signalling protocol between a participant's browser and the relay, on `ws://host/signal/<room-id>`.
 *
 * JSON text frames, one message each, discriminated by `type`. The socket is opened with
 * `?token=<join token>&session=<session id>`: the token (from the join API) says who you are and in which
 * room; the session id is made by the client once per page load, so a socket that reconnects after a
 * network blip or a relay restart is recognised as the same session (its peer links are kept), while a
 * reloaded page is a new session that replaces the old one (no ghost tile).
 *
 * In mesh mode the relay carries simple-peer `signal` payloads between sessions of one room and tells
 * everyone who is present. The room's media path is decided on the relay (relay/mode/room-mode.ts) and
 * announced with `mode {path, warm, phase, epoch}`; the welcome carries the current one. While the room
 * is warm or on the relay, each session also runs one connection to the relay with the relay-mode
 * messages of relay/sfu/transport/protocol.ts, on this same socket:
 *
 *   client → relay   signal {to, data}   ping {id?}   leave
 *                    relay-offer {sdp, epoch, videoSources?, iceRestart?, offerId?}   relay-candidate {candidate|null}   view {videos}
 *                    mode-ack {epoch}      (the client finished the switch of that epoch)
 *   relay → client   welcome {self, peers, mode, meshMax, roomMax, iceServers}   peer-joined   peer-left
 *                    signal {from, data}   pong {id?, now}   error {code, message, fatal}
 *                    mode {path, warm, phase, epoch}
 *                    relay-answer {sdp, offerId?}   relay-candidate {candidate|null}   slots {audio, video}
 *
 * Frames are at most 64 KB, except `relay-offer`, which may be up to 256 KB: its SDP may be as large as
 * MAX_SDP_BYTES (64 KB, enforced by the relay-mode schema) and JSON escaping of its line ends alone
 * makes such an offer larger than 64 KB on the wire. Frames over 256 KB are refused unread.
 *
 * Every frame off the socket is validated here before it reaches the room; anything invalid gets an
 * `error` frame back and is never forwarded.
 */
import { z } from 'zod';
// First, so that SESSION_ID is initialised before relay/sfu/transport/protocol.ts (which imports it
// from here) is evaluated. That module's values are only used at call time below, never at load time.
export { SESSION_ID } from './session-id.ts';
import { SESSION_ID } from './session-id.ts';
import { relayClientMessage } from '../sfu/transport/protocol.ts';
import type { RelayClientMessage, RelayServerMessage } from '../sfu/transport/protocol.ts';
import type { ModeMessage } from '../mode/room-mode.ts';

/** The largest frame, of any type but `relay-offer`. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** The largest `relay-offer` frame. */
export const MAX_OFFER_FRAME_BYTES = 256 * 1024;

const sessionId = z.string().regex(SESSION_ID);

/** A simple-peer signal payload (offer/answer/candidate/renegotiate/transceiverRequest): opaque to us. */
const signalData = z.record(z.string(), z.unknown());

const ownMessages = [
  z.object({ type: z.literal('signal'), to: sessionId, data: signalData }).strict(),
  z.object({ type: z.literal('ping'), id: z.number().int().nonnegative().optional() }).strict(),
  z.object({ type: z.literal('leave') }).strict(),
  z.object({ type: z.literal('mode-ack'), epoch: z.number().int().nonnegative() }).strict(),
] as const;
type OwnMessage = z.infer<(typeof ownMessages)[number]>;

export type ClientMessage = OwnMessage | RelayClientMessage;
export type { ModeMessage, RelayClientMessage, RelayServerMessage };

let schema: z.ZodType<ClientMessage> | undefined;
/** The schema of every client message; built on first use (see the import order above). */
export function clientMessage(): z.ZodType<ClientMessage> {
  schema ??= z.discriminatedUnion('type', [...ownMessages, ...relayClientMessage.options]);
  return schema;
}

export type PeerInfo = { participantId: string; sessionId: string; name: string; joinedAt: number };

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
  | 'bad-session'
  /** A relay-mode message while the room has no relay connection (plain mesh). */
  | 'wrong-mode'
  /** The relay could not set up or run this session's connection (e.g. an offer it cannot answer). */
  | 'relay-failed';

export type ServerMessage =
  | {
      type: 'welcome';
      self: PeerInfo;
      peers: PeerInfo[];
      /** The room's current media path; later changes come as `mode` messages. */
      mode: ModeMessage;
      meshMax: number;
      roomMax: number;
      iceServers: IceServer[];
    }
  | { type: 'peer-joined'; peer: PeerInfo }
  | { type: 'peer-left'; participantId: string; sessionId: string }
  | { type: 'signal'; from: string; data: Record<string, unknown> }
  | { type: 'pong'; id?: number; now: number }
  | { type: 'error'; code: ErrorCode; message: string; fatal: boolean }
  | ModeMessage
  | RelayServerMessage;

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
  const tooLarge = { ok: false, code: 'too-large', message: `frame of ${size} bytes exceeds ${MAX_FRAME_BYTES} (${MAX_OFFER_FRAME_BYTES} for relay-offer)` } as const;
  if (size > MAX_OFFER_FRAME_BYTES) return tooLarge;
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return size > MAX_FRAME_BYTES ? tooLarge : { ok: false, code: 'bad-json', message: 'frame is not valid JSON' };
  }
  if (size > MAX_FRAME_BYTES && (value as { type?: unknown } | null)?.type !== 'relay-offer') return tooLarge;
  const parsed = clientMessage().safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, code: 'bad-message', message: `invalid message${where}: ${issue?.message ?? 'unknown'}` };
  }
  return { ok: true, message: parsed.data };
}
