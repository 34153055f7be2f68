/**
 * Which publisher sits in which receive slot of which subscriber (pure; no werift, no clock).
 *
 * A subscriber's offer brings its slots: recvonly m-sections, a few for audio and some for video. A
 * publication (a session's microphone, camera or screen share) goes into the first free slot of its
 * kind of every other subscriber; when there is none it waits, and takes the next slot freed by a
 * leaving publisher or added by a re-offer. A slot keeps its occupant across re-offers as long as the
 * mid stays. Every change reports the subscribers whose `slots` message changed, so the room sends
 * exactly those. The policy (first free slot) is a placeholder for last-N and loudest-speaker
 * selection, which will move occupants by the same operations.
 */
import type { AudioSlot, SlotsMessage, VideoSlot, VideoSource } from './protocol.ts';

export type Source = 'microphone' | VideoSource;
export type SlotKind = 'audio' | 'video';
export type PublicationKey = { sessionId: string; source: Source };
export type SlotMids = { audio: readonly string[]; video: readonly string[] };
export type SlotTarget = { subscriber: string; mid: string };

export function kindOf(source: Source): SlotKind {
  return source === 'microphone' ? 'audio' : 'video';
}

const keyOf = (p: PublicationKey): string => `${p.sessionId}/${p.source}`;

type Subscriber = { audio: Map<string, PublicationKey | null>; video: Map<string, PublicationKey | null> };

export class SlotTable {
  readonly #subscribers = new Map<string, Subscriber>();
  /** Publications in the order they appeared, so waiting ones are seated first come, first served. */
  readonly #publications = new Map<string, PublicationKey>();
  /** publication key → its seats, for the packet path. */
  readonly #seats = new Map<string, SlotTarget[]>();

  /** Sets (or replaces, on a re-offer) a subscriber's slots; returns the subscribers whose slots changed. */
  setSubscriber(sessionId: string, mids: SlotMids): string[] {
    const old = this.#subscribers.get(sessionId);
    const next: Subscriber = { audio: new Map(), video: new Map() };
    for (const kind of ['audio', 'video'] as const) {
      for (const mid of mids[kind]) next[kind].set(mid, old?.[kind].get(mid) ?? null);
    }
    this.#subscribers.set(sessionId, next);
    this.#fill(sessionId, next);
    this.#reindex();
    return old && sameSlots(old, next) ? [] : [sessionId];
  }

  removeSubscriber(sessionId: string): void {
    if (this.#subscribers.delete(sessionId)) this.#reindex();
  }

  /** A publication appeared; returns the subscribers that got it in a slot. */
  addPublication(key: PublicationKey): string[] {
    const k = keyOf(key);
    if (this.#publications.has(k)) return [];
    this.#publications.set(k, { ...key });
    const changed: string[] = [];
    for (const [id, sub] of this.#subscribers) {
      if (id === key.sessionId) continue;
      const free = firstFree(sub[kindOf(key.source)]);
      if (free === undefined) continue;
      sub[kindOf(key.source)].set(free, { ...key });
      changed.push(id);
    }
    this.#reindex();
    return changed;
  }

  /** A publication ended; frees its slots, seats waiting publications there, returns who changed. */
  removePublication(key: PublicationKey): string[] {
    const k = keyOf(key);
    if (!this.#publications.delete(k)) return [];
    const changed: string[] = [];
    for (const [id, sub] of this.#subscribers) {
      const slots = sub[kindOf(key.source)];
      let freed = false;
      for (const [mid, occupant] of slots) {
        if (occupant && keyOf(occupant) === k) {
          slots.set(mid, null);
          freed = true;
        }
      }
      if (freed) {
        this.#fill(id, sub);
        changed.push(id);
      }
    }
    this.#reindex();
    return changed;
  }

  /** Removes everything a session publishes and its own slots; returns the other subscribers that changed. */
  removeSession(sessionId: string): string[] {
    this.removeSubscriber(sessionId);
    const changed = new Set<string>();
    for (const p of [...this.#publications.values()]) {
      if (p.sessionId === sessionId) for (const id of this.removePublication(p)) changed.add(id);
    }
    return [...changed];
  }

  /** Where a publication's packets go. The array is owned by the table; don't mutate it. */
  seats(key: PublicationKey): readonly SlotTarget[] {
    return this.#seats.get(keyOf(key)) ?? [];
  }

  occupant(subscriber: string, mid: string): PublicationKey | null {
    const sub = this.#subscribers.get(subscriber);
    return sub?.audio.get(mid) ?? sub?.video.get(mid) ?? null;
  }

  message(subscriber: string): SlotsMessage {
    const sub = this.#subscribers.get(subscriber);
    const audio: AudioSlot[] = [];
    const video: VideoSlot[] = [];
    for (const [mid, p] of sub?.audio ?? []) audio.push({ mid, sessionId: p?.sessionId ?? null });
    for (const [mid, p] of sub?.video ?? []) {
      video.push({ mid, sessionId: p?.sessionId ?? null, source: p && p.source !== 'microphone' ? p.source : null });
    }
    return { type: 'slots', audio, video };
  }

  #fill(sessionId: string, sub: Subscriber): void {
    const seated = new Set<string>();
    for (const slots of [sub.audio, sub.video]) for (const p of slots.values()) if (p) seated.add(keyOf(p));
    for (const [k, p] of this.#publications) {
      if (p.sessionId === sessionId || seated.has(k)) continue;
      const slots = sub[kindOf(p.source)];
      const free = firstFree(slots);
      if (free === undefined) continue;
      slots.set(free, { ...p });
      seated.add(k);
    }
  }

  #reindex(): void {
    this.#seats.clear();
    for (const [subscriber, sub] of this.#subscribers) {
      for (const slots of [sub.audio, sub.video]) {
        for (const [mid, p] of slots) {
          if (!p) continue;
          const k = keyOf(p);
          const list = this.#seats.get(k) ?? [];
          list.push({ subscriber, mid });
          this.#seats.set(k, list);
        }
      }
    }
  }
}

function firstFree(slots: Map<string, PublicationKey | null>): string | undefined {
  for (const [mid, p] of slots) if (p === null) return mid;
  return undefined;
}

function sameSlots(a: Subscriber, b: Subscriber): boolean {
  for (const kind of ['audio', 'video'] as const) {
    const x = [...a[kind]];
    const y = [...b[kind]];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const [mx, px] = x[i]!;
      const [my, py] = y[i]!;
      if (mx !== my || (px ? keyOf(px) : null) !== (py ? keyOf(py) : null)) return false;
    }
  }
  return true;
}
