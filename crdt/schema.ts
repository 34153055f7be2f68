/**
 * The room document: one Y.Doc per room, synced by the relay (y-websocket on `/yjs/<room-id>`) and
 * shared by every participant's browser. Top-level names (`ROOM_KEYS`):
 *
 * - `chat`       Y.Array<ChatMessage>, plain objects, append-only. Array order is display order: it is
 *                the same on every peer, whereas `ts` comes from the sender's clock and may be skewed.
 * - `hands`      Y.Array<RaisedHand>, the raised-hand queue; array order is queue order.
 * - `reactions`  Y.Array<Reaction>, short-lived; the relay prunes old entries (`pruneReactions`).
 * - `captions`   reserved: Y.Array of caption segments.
 * - `transcript` reserved: Y.Array of transcript entries.
 * - `notes`      reserved: Y.Text, shared meeting notes.
 * - `summary`    reserved: Y.Map, the meeting summary.
 *
 * Presence (who is here, muted, sharing) is not in the document but in y-protocols awareness, whose
 * per-client state carries an `AwarenessUser` under `user`: it vanishes with the client.
 *
 * Any client can write anything into the document, so the typed accessors below only describe what
 * well-behaved writers put there. Readers treat every entry as `unknown` and keep those that pass the
 * guards; they never throw on garbage.
 */
import * as Y from 'yjs';

export const ROOM_KEYS = {
  chat: 'chat',
  hands: 'hands',
  reactions: 'reactions',
  captions: 'captions',
  transcript: 'transcript',
  notes: 'notes',
  summary: 'summary',
} as const;

export const MAX_CHAT_TEXT = 4000;
export const MAX_NAME = 64;
/** Upper bound for ids (message ids, participant and session ids); ours are 22 characters. */
export const MAX_ID = 128;
/** Colours are opaque CSS strings (`#7c3aed`, `hsl(…)`); the bound only keeps garbage small. */
export const MAX_COLOR = 32;

export const REACTION_EMOJIS = ['👍', '👏', '😂', '❤️', '🎉', '😮', '🤔', '👋'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJIS)[number];

/** Who wrote an entry, as the writers take it. */
export type Participant = { participantId: string; name: string };

export type ChatMessage = { id: string; participantId: string; name: string; text: string; ts: number };
export type RaisedHand = { participantId: string; name: string; ts: number };
export type Reaction = { id: string; participantId: string; name: string; emoji: string; ts: number };
export type AwarenessUser = {
  participantId: string;
  sessionId: string;
  name: string;
  color: string;
  audio: boolean;
  video: boolean;
  screen: boolean;
};

export function chatArray(doc: Y.Doc): Y.Array<ChatMessage> {
  return doc.getArray<ChatMessage>(ROOM_KEYS.chat);
}

export function handsArray(doc: Y.Doc): Y.Array<RaisedHand> {
  return doc.getArray<RaisedHand>(ROOM_KEYS.hands);
}

export function reactionsArray(doc: Y.Doc): Y.Array<Reaction> {
  return doc.getArray<Reaction>(ROOM_KEYS.reactions);
}

/**
 * A plain object literal. Checking the prototype rejects arrays, shared types and byte arrays, and
 * also objects decoded from a `__proto__` key: lib0 assigns that key, which swaps the prototype, so
 * fields read off such an object could come from the attacker's prototype instead of own properties.
 */
export function isRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function isId(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_ID;
}

function isName(x: unknown): x is string {
  return typeof x === 'string' && x.length <= MAX_NAME;
}

function isTs(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

export function isReactionEmoji(x: unknown): x is ReactionEmoji {
  return typeof x === 'string' && (REACTION_EMOJIS as readonly string[]).includes(x);
}

export function isChatMessage(x: unknown): x is ChatMessage {
  return (
    isRecord(x) &&
    isId(x.id) &&
    isId(x.participantId) &&
    isName(x.name) &&
    typeof x.text === 'string' &&
    x.text.length > 0 &&
    x.text.length <= MAX_CHAT_TEXT &&
    isTs(x.ts)
  );
}

export function isRaisedHand(x: unknown): x is RaisedHand {
  return isRecord(x) && isId(x.participantId) && isName(x.name) && isTs(x.ts);
}

export function isReaction(x: unknown): x is Reaction {
  return (
    isRecord(x) && isId(x.id) && isId(x.participantId) && isName(x.name) && isReactionEmoji(x.emoji) && isTs(x.ts)
  );
}

export function isAwarenessUser(x: unknown): x is AwarenessUser {
  return (
    isRecord(x) &&
    isId(x.participantId) &&
    isId(x.sessionId) &&
    isName(x.name) &&
    typeof x.color === 'string' &&
    x.color.length <= MAX_COLOR &&
    typeof x.audio === 'boolean' &&
    typeof x.video === 'boolean' &&
    typeof x.screen === 'boolean'
  );
}
