/**
 * Which publisher sits in which receive slot of which subscriber (pure; no werift, no clock).
 *
 * A subscriber's offer brings its slots: recvonly m-sections, a few for audio and some for video. A
 * publication (a session's microphone, camera or screen share) goes into the first free slot of its
 * kind of every other subscriber; when there is none it waits, and takes the next slot freed by a
 * leaving publisher or added by a re-offer. A slot keeps its occupant across re-offers as long as the
 * mid stays. Every change reports the subscribers whose `slots` message changed, so the room sends
 * exactly those.
 *
 * Video follows the subscriber's view once it sent one (`setView`): its video slots then hold the
 * publications it shows, in the view's priority order, an occupant that stays shown keeps its slot,
 * and nothing it doesn't show is seated. Without a view, first free slot (so a client that never
 * reports its tiles still sees people). Audio is seated first-free too, unless the table is built with
 * `seatAudio: false`: then the forwarding core fills the audio slots with the loudest speakers and
 * the table only keeps their mids.
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
const keyOrNull = (p: PublicationKey | null): string | null => (p ? keyOf(p) : null);

type Subscriber = { audio: Map<string, PublicationKey | null>; video: Map<string, PublicationKey | null> };

export type SlotTableOptions = { seatAudio?: boolean };

export class SlotTable {
  readonly #seatAudio: boolean;
  readonly #subscribers = new Map<string, Subscriber>();
  /** Subscribers' views: publication keys shown, in priority order. */
  readonly #views = new Map<string, string[]>();
  /** Publications in the order they appeared, so waiting ones are seated first come, first served. */
  readonly #publications = new Map<string, PublicationKey>();
  /** publication key → its seats, for a pass-through forwarder's packet path (the core keeps its own):
   * rebuilt when asked for after a change, not at every change (views come several times a second per
   * subscriber in a large room). */
  readonly #seats = new Map<string, SlotTarget[]>();
  #seatsStale = false;

  constructor(options: SlotTableOptions = {}) {
    this.#seatAudio = options.seatAudio ?? true;
  }

  /** Sets (or replaces, on a re-offer) a subscriber's slots; returns the subscribers whose slots changed. */
  setSubscriber(sessionId: string, mids: SlotMids): string[] {
    const old = this.#subscribers.get(sessionId);
    const next: Subscriber = { audio: new Map(), video: new Map() };
    for (const kind of ['audio', 'video'] as const) {
      for (const mid of mids[kind]) next[kind].set(mid, old?.[kind].get(mid) ?? null);
    }
    this.#subscribers.set(sessionId, next);
    this.#fill(sessionId, next);
    this.#seatsStale = true;
    return old && sameSlots(old, next) ? [] : [sessionId];
  }

  removeSubscriber(sessionId: string): void {
    this.#views.delete(sessionId);
    if (this.#subscribers.delete(sessionId)) this.#seatsStale = true;
  }

  /**
   * The videos a subscriber shows, in priority order (kept for a subscriber not set yet). Frees the
   * slots of publications no longer shown and seats shown ones; returns [sessionId] if seats changed.
   */
  setView(sessionId: string, shown: readonly PublicationKey[]): string[] {
    this.#views.set(sessionId, shown.filter((p) => p.sessionId !== sessionId && kindOf(p.source) === 'video').map(keyOf));
    const sub = this.#subscribers.get(sessionId);
    if (!sub) return [];
    const changed = this.#refill(sessionId, sub);
    this.#seatsStale = true;
    return changed ? [sessionId] : [];
  }

  /** A publication appeared; returns the subscribers that got it in a slot. */
  addPublication(key: PublicationKey): string[] {
    const k = keyOf(key);
    if (this.#publications.has(k)) return [];
    this.#publications.set(k, { ...key });
    const changed: string[] = [];
    for (const [id, sub] of this.#subscribers) {
      if (id === key.sessionId || !this.#wants(id, key)) continue;
      if (kindOf(key.source) === 'video' && this.#views.has(id)) {
        if (this.#refill(id, sub)) changed.push(id);
        continue;
      }
      const free = firstFree(sub[kindOf(key.source)]);
      if (free === undefined) continue;
      sub[kindOf(key.source)].set(free, { ...key });
      changed.push(id);
    }
    this.#seatsStale = true;
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
    this.#seatsStale = true;
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
    if (this.#seatsStale) this.#reindex();
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

  /** Whether `subscriber` takes `key` into a free slot: audio if the table seats audio, video if shown (or no view). */
  #wants(subscriber: string, key: PublicationKey): boolean {
    if (kindOf(key.source) === 'audio') return this.#seatAudio;
    const view = this.#views.get(subscriber);
    return !view || view.includes(keyOf(key));
  }

  /** #fill, telling whether the video seats changed. */
  #refill(sessionId: string, sub: Subscriber): boolean {
    const before = [...sub.video.values()].map(keyOrNull);
    this.#fill(sessionId, sub);
    return [...sub.video.values()].some((p, i) => keyOrNull(p) !== before[i]);
  }

  /**
   * Seats waiting publications in free slots. With a view, the video slots go to the first shown
   * publications that exist, as many as there are slots: others are freed first (priority wins).
   */
  #fill(sessionId: string, sub: Subscriber): void {
    const view = this.#views.get(sessionId);
    const top = view?.filter((k) => this.#publications.has(k)).slice(0, sub.video.size);
    if (top) for (const [mid, p] of sub.video) if (p && !top.includes(keyOf(p))) sub.video.set(mid, null);
    const seated = new Set<string>();
    for (const slots of [sub.audio, sub.video]) for (const p of slots.values()) if (p) seated.add(keyOf(p));
    // Audio in the order publications appeared; video in view order with a view.
    const candidates = top ? [...this.#audioPublications(), ...top.map((k) => [k, this.#publications.get(k)!] as const)] : this.#publications;
    for (const [k, p] of candidates) {
      if (p.sessionId === sessionId || seated.has(k) || !this.#wants(sessionId, p)) continue;
      const slots = sub[kindOf(p.source)];
      const free = firstFree(slots);
      if (free === undefined) continue;
      slots.set(free, { ...p });
      seated.add(k);
    }
  }

  #audioPublications(): Array<readonly [string, PublicationKey]> {
    return [...this.#publications].filter(([, p]) => kindOf(p.source) === 'audio');
  }

  #reindex(): void {
    this.#seatsStale = false;
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
      if (mx !== my || keyOrNull(px) !== keyOrNull(py)) return false;
    }
  }
  return true;
}
