/**
 * Capacity: what the relay as a whole can afford to forward, when its CPU cannot keep up.
 *
 * Past its capacity, a relay that forwards everything it is asked for falls behind on every packet:
 * latency grows by seconds, then ICE consent and DTLS time out and the room is lost (measured with
 * bench/ rooms: 40 participants with 25 tiles each lost 7.6 % of packets, 90 lost every connection).
 * Dropping packets at the socket (overload.ts) saves the connections but freezes tiles at random and
 * sets off NACKs and keyframe requests. A relay should instead choose what to stop forwarding, as
 * Jitsi's videobridge lowers last-N under load: first the large layers (everyone's video gets
 * smaller), then the number of videos each subscriber receives (the largest tiles keep theirs), and
 * last the number of speakers everyone hears (the loudest keep theirs).
 *
 * `CapacityGovernor` is that decision, pure: it is fed the event loop's lag (how late the relay runs
 * its timers, a direct measure of its backlog) with the time, and steps a shared `CapacityLimit` one
 * level down when the relay is behind, or one level up after it has kept up for a while. A step up
 * that is followed by overload within the hold makes the next step up wait twice as long (up to
 * `maxUpHoldMs`), so a relay at the edge of its capacity settles instead of oscillating.
 * LayerSelector (layer-selector.ts) applies the limit to every subscriber, LoudestSpeakers
 * (audio-level.ts) to every room.
 */

/**
 * Shared by every LayerSelector (and every room's LoudestSpeakers) of the process: the largest layer
 * index, videos per subscriber, and speakers forwarded (at most the rooms' own count; absent: no limit).
 */
export type CapacityLimit = { maxLayer: number; maxVideos: number; maxAudio?: number };

export const UNLIMITED: Readonly<CapacityLimit> = Object.freeze({ maxLayer: Infinity, maxVideos: Infinity, maxAudio: Infinity });

/** Level 0 forwards everything; each later level gives up a little more. */
export const CAPACITY_LEVELS: readonly Readonly<CapacityLimit>[] = [
  UNLIMITED,
  { maxLayer: 1, maxVideos: Infinity },
  { maxLayer: 0, maxVideos: Infinity },
  { maxLayer: 0, maxVideos: 16 },
  { maxLayer: 0, maxVideos: 12 },
  { maxLayer: 0, maxVideos: 9 },
  { maxLayer: 0, maxVideos: 6 },
  { maxLayer: 0, maxVideos: 4 },
  { maxLayer: 0, maxVideos: 2 },
  { maxLayer: 0, maxVideos: 1 },
  // Audio last: at 150 participants three continuous talkers alone were 92 % of a core (bench/ rooms
  // audio-150), 22k deliveries/s that no video limit relieves; past that, the loudest two, then one.
  { maxLayer: 0, maxVideos: 1, maxAudio: 2 },
  { maxLayer: 0, maxVideos: 1, maxAudio: 1 },
];

export type CapacityParams = {
  /** Lag above this (ms) is overload: one level down. */
  overloadMs: number;
  /** Samples in a row over `overloadMs` before a step down (one late window is not a trend). */
  overloadSamples: number;
  /** Lag below this (ms) counts towards a level up. */
  healthyMs: number;
  /** Time between two steps down, ms: each step needs a moment to show its effect. */
  downHoldMs: number;
  /** How long lag must stay healthy before a step up, ms (doubled after a step up that failed). */
  upHoldMs: number;
  maxUpHoldMs: number;
};

export const DEFAULT_CAPACITY: CapacityParams = { overloadMs: 40, overloadSamples: 2, healthyMs: 15, downHoldMs: 1500, upHoldMs: 5000, maxUpHoldMs: 60_000 };

export class CapacityGovernor {
  readonly params: CapacityParams;
  /** The limit in force; the same object for the governor's whole life (selectors hold it). */
  readonly limit: CapacityLimit = { ...UNLIMITED };
  #level = 0;
  #changedAt = -Infinity;
  #healthySince: number | null = null;
  #upHoldMs: number;
  #lastUpAt = -Infinity;
  #overloaded = 0;

  constructor(params: Partial<CapacityParams> = {}) {
    this.params = { ...DEFAULT_CAPACITY, ...params };
    this.#upHoldMs = this.params.upHoldMs;
  }

  get level(): number {
    return this.#level;
  }

  /** One lag sample (ms) at `now`; returns whether the level changed. */
  observe(lagMs: number, now: number): boolean {
    const p = this.params;
    if (lagMs > p.overloadMs) {
      this.#healthySince = null;
      if (++this.#overloaded < p.overloadSamples) return false;
      if (this.#level === CAPACITY_LEVELS.length - 1 || now - this.#changedAt < p.downHoldMs) return false;
      // Overloaded soon after a step up: that step was one too many, wait longer before the next.
      if (now - this.#lastUpAt < this.#upHoldMs) this.#upHoldMs = Math.min(p.maxUpHoldMs, this.#upHoldMs * 2);
      return this.#set(this.#level + 1, now);
    }
    this.#overloaded = 0;
    if (lagMs >= p.healthyMs) {
      this.#healthySince = null;
      return false;
    }
    this.#healthySince ??= now;
    if (this.#level === 0 || now - this.#healthySince < this.#upHoldMs || now - this.#changedAt < this.#upHoldMs) return false;
    this.#lastUpAt = now;
    this.#healthySince = now;
    return this.#set(this.#level - 1, now);
  }

  #set(level: number, now: number): boolean {
    this.#level = level;
    this.#changedAt = now;
    Object.assign(this.limit, UNLIMITED, CAPACITY_LEVELS[level]);
    return true;
  }
}
