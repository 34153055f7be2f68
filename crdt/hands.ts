/**
 * The raised-hand queue: a Y.Array of plain RaisedHand objects (`ROOM_KEYS.hands`).
 *
 * Array order is queue order (first raised, first listed), so the queue does not depend on anyone's
 * clock. Two sessions of one participant may raise concurrently and both entries survive the merge;
 * readers dedupe by participant keeping the first, and lowering removes every entry of that
 * participant, so the duplicate is harmless.
 */
import type * as Y from 'yjs';
import { handsArray, isRaisedHand, isRecord, type Participant, type RaisedHand } from './schema.ts';
import { clampName } from './text.ts';

/** Raises the hand of `who` unless it is already raised; returns whether an entry was written. */
export function raiseHand(doc: Y.Doc, who: Participant, now: number): boolean {
  if (isHandRaised(doc, who.participantId)) return false;
  const hand: RaisedHand = { participantId: who.participantId, name: clampName(who.name), ts: now };
  if (!isRaisedHand(hand)) return false;
  handsArray(doc).push([hand]);
  return true;
}

/**
 * Removes every entry of `participantId`, malformed ones included, in one transaction (one update on
 * the wire). Used by the participant and by the relay when the participant leaves. Returns whether
 * anything was removed.
 */
export function lowerHand(doc: Y.Doc, participantId: string): boolean {
  const hands = handsArray(doc);
  const entries = hands.toArray() as unknown[];
  let removed = false;
  doc.transact(() => {
    // From the end, so the indices still to visit do not shift.
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const entry = entries[index];
      if (isRecord(entry) && entry.participantId === participantId) {
        hands.delete(index, 1);
        removed = true;
      }
    }
  });
  return removed;
}

/** Well-formed hands in queue order, one per participant (their first entry). */
export function handQueue(doc: Y.Doc): RaisedHand[] {
  const seen = new Set<string>();
  const out: RaisedHand[] = [];
  for (const entry of handsArray(doc).toArray() as unknown[]) {
    if (!isRaisedHand(entry) || seen.has(entry.participantId)) continue;
    seen.add(entry.participantId);
    out.push({ participantId: entry.participantId, name: entry.name, ts: entry.ts });
  }
  return out;
}

export function isHandRaised(doc: Y.Doc, participantId: string): boolean {
  return (handsArray(doc).toArray() as unknown[]).some((entry) => isRaisedHand(entry) && entry.participantId === participantId);
}
