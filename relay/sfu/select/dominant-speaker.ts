/**
 * The dominant speaker: the one person a client shows in the large view.
 *
 * Top-N audio (audio-level.ts) may change within a second; the large view must not, or the layout
 * jumps at every interjection. So this is a second, slower decision over the same smoothed levels,
 * made on a periodic tick (every 100–300 ms, like Jitsi's 300 ms decision interval):
 * - a challenger must be speaking (-50 dBov or louder) and lead the current dominant speaker by
 *   3 dB at every tick for 1 s before it takes over. Jitsi's dominant speaker identification asks
 *   for the same thing in its own terms (more speech activity over immediate, medium and long
 *   windows); a one-second lead over a slow-release envelope is the simple form of it;
 * - the current dominant speaker keeps the role through pauses and silence: someone else has to
 *   talk for a second to take it, so a cough, a "yes" or a short question do not;
 * - with nobody dominant yet (or after the dominant one left), a speaker takes the role after 300 ms.
 * `update` returns a change only when there is one, so the caller can publish it as is.
 */
import type { LoudnessSource } from './audio-level.ts';

export interface DominantSpeakerParams {
  /** A challenger leads by this much… */
  leadDb: number;
  /** …at every tick for this long before it takes over, ms. */
  takeoverMs: number;
  /** With no dominant speaker, a speaker takes the role after this long, ms. */
  firstTakeMs: number;
  /** Only a publisher at this smoothed level or louder can take the role, dBov. */
  speakingDbov: number;
}

export const DEFAULT_DOMINANT_SPEAKER: DominantSpeakerParams = {
  leadDb: 3,
  takeoverMs: 1000,
  firstTakeMs: 300,
  speakingDbov: -50,
};

export interface DominantSpeakerChange {
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly at: number;
}

export class DominantSpeaker {
  readonly params: DominantSpeakerParams;
  #current: string | undefined;
  #candidate: string | undefined;
  #candidateSince = 0;
  // Scratch state of one update, kept on the instance so the visitor closure is made once.
  #currentLevel = -127;
  #leader: string | undefined;
  #leaderLevel = -Infinity;
  readonly #visit = (publisherId: string, dbov: number): void => {
    if (publisherId === this.#current) {
      this.#currentLevel = dbov;
    } else if (dbov > this.#leaderLevel) {
      this.#leader = publisherId;
      this.#leaderLevel = dbov;
    }
  };

  constructor(params: Partial<DominantSpeakerParams> = {}) {
    this.params = { ...DEFAULT_DOMINANT_SPEAKER, ...params };
  }

  get current(): string | undefined {
    return this.#current;
  }

  /** One decision tick over every publisher's smoothed level; a change, or `undefined`. */
  update(now: number, levels: LoudnessSource): DominantSpeakerChange | undefined {
    this.#currentLevel = -127; // a dominant speaker the source no longer knows counts as silent
    this.#leader = undefined;
    this.#leaderLevel = -Infinity;
    levels.forEachLoudness(now, this.#visit);
    const { leadDb, speakingDbov, takeoverMs, firstTakeMs } = this.params;
    const leader = this.#leader;
    const leads =
      leader !== undefined &&
      this.#leaderLevel >= speakingDbov &&
      (this.#current === undefined || this.#leaderLevel >= this.#currentLevel + leadDb);
    if (!leads) {
      this.#candidate = undefined;
      return undefined;
    }
    if (leader !== this.#candidate) {
      this.#candidate = leader;
      this.#candidateSince = now;
    }
    const hold = this.#current === undefined ? firstTakeMs : takeoverMs;
    if (now - this.#candidateSince < hold) return undefined;
    return this.#change(leader, now);
  }

  /** The publisher left: if it was dominant, nobody is until someone speaks. */
  remove(publisherId: string, now: number): DominantSpeakerChange | undefined {
    if (this.#candidate === publisherId) this.#candidate = undefined;
    return this.#current === publisherId ? this.#change(undefined, now) : undefined;
  }

  #change(to: string | undefined, at: number): DominantSpeakerChange {
    const from = this.#current;
    this.#current = to;
    this.#candidate = undefined;
    return { from, to, at };
  }
}
