/**
 * Emoji reactions: a Y.Array of plain Reaction objects (`ROOM_KEYS.reactions`).
 *
 * A reaction is a moment, not state: clients animate the ones inserted while they watch and ignore
 * old ones (`freshReactions`), and the relay calls `pruneReactions` periodically so the array (and
 * the document every late joiner downloads) stays small.
 */
import type * as Y from 'yjs';
import { isReaction, isReactionEmoji, reactionsArray, REACTION_EMOJIS, type Participant, type Reaction } from './schema.ts';
import { newId } from './ids.ts';
import { clampName } from './text.ts';

export { REACTION_EMOJIS };

/** How long after it was sent a reaction is still worth showing. */
export const REACTION_WINDOW_MS = 8000;
/** How far ahead of our clock a sender's clock may be before its reactions count as bogus. */
export const REACTION_FUTURE_SKEW_MS = 5000;
export const REACTION_MAX_AGE_MS = 60_000;

/** Appends a reaction; returns it, or null (writing nothing) if the emoji is not one of REACTION_EMOJIS. */
export function sendReaction(doc: Y.Doc, from: Participant, emoji: string, now: number, id = newId()): Reaction | null {
  if (!isReactionEmoji(emoji)) return null;
  const reaction: Reaction = { id, participantId: from.participantId, name: clampName(from.name), emoji, ts: now };
  if (!isReaction(reaction)) return null;
  reactionsArray(doc).push([{ ...reaction }]);
  return reaction;
}

/** Well-formed reactions in array order, the first of each id only. */
export function reactionList(doc: Y.Doc): Reaction[] {
  const seen = new Set<string>();
  const out: Reaction[] = [];
  for (const entry of reactionsArray(doc).toArray() as unknown[]) {
    if (!isReaction(entry) || seen.has(entry.id)) continue;
    seen.add(entry.id);
    out.push(copy(entry));
  }
  return out;
}

/**
 * The reactions worth showing at `now`: sent at most `windowMs` ago (a late joiner does not replay an
 * old burst) and at most REACTION_FUTURE_SKEW_MS ahead (a little clock skew between peers is fine).
 */
export function freshReactions(list: readonly Reaction[], now: number, windowMs = REACTION_WINDOW_MS): Reaction[] {
  return list.filter((r) => now - windowMs <= r.ts && r.ts <= now + REACTION_FUTURE_SKEW_MS);
}

/**
 * Deletes malformed entries and those more than `maxAgeMs` away from `now` in either direction (a
 * sender with a clock far in the future would otherwise leave entries forever), in one transaction.
 * Returns how many entries were deleted.
 */
export function pruneReactions(doc: Y.Doc, now: number, maxAgeMs = REACTION_MAX_AGE_MS): number {
  const reactions = reactionsArray(doc);
  const entries = reactions.toArray() as unknown[];
  const stale = (entry: unknown): boolean => !isReaction(entry) || Math.abs(now - entry.ts) > maxAgeMs;
  let deleted = 0;
  doc.transact(() => {
    // From the end, one delete per run of stale entries, so earlier indices stay valid.
    let end = entries.length;
    while (end > 0) {
      if (!stale(entries[end - 1])) {
        end -= 1;
        continue;
      }
      let start = end - 1;
      while (start > 0 && stale(entries[start - 1])) start -= 1;
      reactions.delete(start, end - start);
      deleted += end - start;
      end = start;
    }
  });
  return deleted;
}

/**
 * Calls `cb` for each well-formed reaction inserted after this call, local or remote, in array order.
 * The first sync of a late joiner inserts the whole history, so callers that animate should pass what
 * they get through `freshReactions`. Returns the unsubscribe function.
 */
export function observeNewReactions(doc: Y.Doc, cb: (reaction: Reaction) => void): () => void {
  const reactions = reactionsArray(doc);
  const observer = (event: Y.YArrayEvent<Reaction>): void => {
    for (const change of event.changes.delta) {
      if (!Array.isArray(change.insert)) continue;
      for (const entry of change.insert as unknown[]) if (isReaction(entry)) cb(copy(entry));
    }
  };
  reactions.observe(observer);
  return () => reactions.unobserve(observer);
}

function copy(r: Reaction): Reaction {
  return { id: r.id, participantId: r.participantId, name: r.name, emoji: r.emoji, ts: r.ts };
}
