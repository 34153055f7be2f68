/**
 * Room chat: an append-only Y.Array of plain ChatMessage objects (`ROOM_KEYS.chat`).
 *
 * Messages are shown in array order, which every peer agrees on once synced; `ts` is the sender's
 * clock and only serves for display and unread counts. A message is never edited, so a plain object
 * (one Yjs item) is enough and cheaper than a Y.Map per message.
 */
import type * as Y from 'yjs';
import { chatArray, isChatMessage, MAX_CHAT_TEXT, type ChatMessage, type Participant } from './schema.ts';
import { newId } from './ids.ts';
import { clampName, wellFormed } from './text.ts';

/** Appends a message; returns it, or null (writing nothing) if the trimmed text is empty or too long. */
export function sendChat(doc: Y.Doc, from: Participant, text: string, now: number, id = newId()): ChatMessage | null {
  const body = wellFormed(text.trim());
  if (body.length === 0 || body.length > MAX_CHAT_TEXT) return null;
  const message: ChatMessage = { id, participantId: from.participantId, name: clampName(from.name), text: body, ts: now };
  // A writer that passes a bad id or participant id gets null rather than an entry every reader drops.
  if (!isChatMessage(message)) return null;
  chatArray(doc).push([{ ...message }]);
  return message;
}

/** Well-formed messages in array order, the first of each id only (a replayed entry is shown once). */
export function chatMessages(doc: Y.Doc): ChatMessage[] {
  const seen = new Set<string>();
  const out: ChatMessage[] = [];
  for (const entry of chatArray(doc).toArray() as unknown[]) {
    if (!isChatMessage(entry) || seen.has(entry.id)) continue;
    seen.add(entry.id);
    // A copy: the entry object is the document's own, and callers must not be able to mutate it.
    out.push({ id: entry.id, participantId: entry.participantId, name: entry.name, text: entry.text, ts: entry.ts });
  }
  return out;
}

/** Messages from others written after `lastReadTs` (own messages are read by definition). */
export function countUnread(messages: readonly ChatMessage[], lastReadTs: number, selfParticipantId: string): number {
  let unread = 0;
  for (const message of messages) {
    if (message.ts > lastReadTs && message.participantId !== selfParticipantId) unread += 1;
  }
  return unread;
}
