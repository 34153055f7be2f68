/**
 * How much a subscriber can receive, from what it tells us (RTCP receiver reports, REMB) and what we
 * send it; and how much each simulcast layer really costs. Pure: time is a parameter.
 *
 * `RateMeter`: bytes over a sliding window (1 s by default, in 100 ms buckets), as bits/s.
 *
 * `LossBasedEstimate`, the loss-based half of Google Congestion Control (draft-ietf-rmcat-gcc §6):
 * - the estimate is unlimited until a receiver report shows congestion: a relay that never saw loss
 *   has no reason to hold video back, and a wrong guess would pause tiles on a fine network;
 * - fraction lost > 10 %: the estimate drops to what we were sending × (1 − loss / 2);
 * - fraction lost < 2 %: it grows by 5 % (at most every 200 ms), and once it is twice what we send,
 *   it is unlimited again; between 2 and 10 %, it holds.
 * A REMB from the subscriber is read as a congestion signal, not as a cap. Chromium's receive-side
 * estimate never goes above 1.5× the video it receives (its AIMD rate control stays near 1×, measured:
 * 97–106 kb/s while receiving ~100 kb/s of video), and the relay can't probe it higher, so as a cap it
 * forbade every step up the ladder worth taking (360p → 720p triples the bitrate): once publishers got
 * transport-wide feedback and turned 720p on at full rate, a viewer with a large tile never got it.
 * So a REMB well below the video we send it (< 0.7×: its delay detector has seen queues build) counts as
 * congestion, like loss over 10 %: the estimate drops to it and climbs back the loss-based way; a REMB
 * above that only lifts an estimate that congestion lowered. Reports come per received stream, several
 * in one RTCP packet: decisions are made at most every 200 ms, on the worst loss reported since the
 * last one.
 * Loss upstream of the relay (publisher → relay) shows in these reports too; the 10 % threshold keeps
 * the usual few percent from throttling anyone, and transport-wide feedback would tell them apart.
 */

export class RateMeter {
  readonly #buckets: number[];
  readonly #bucketMs: number;
  #head = 0;
  #headStart = -Infinity;
  #first = Infinity;

  constructor(readonly windowMs = 1000, buckets = 10) {
    this.#buckets = new Array<number>(buckets).fill(0);
    this.#bucketMs = windowMs / buckets;
  }

  add(bytes: number, now: number): void {
    this.#advance(now);
    this.#buckets[this.#head]! += bytes;
    if (this.#first === Infinity) this.#first = now;
  }

  /** Bits/s over the window (over the time since the first byte, while that is shorter). */
  bps(now: number): number {
    this.#advance(now);
    let bytes = 0;
    for (const b of this.#buckets) bytes += b;
    // The window ends with the head bucket's elapsed part: the other buckets are whole.
    const covered = now - this.#headStart + (this.#buckets.length - 1) * this.#bucketMs;
    const span = Math.max(Math.min(covered, now - this.#first), 1);
    return (bytes * 8 * 1000) / span;
  }

  /** Whether a full window has been measured since the first byte. */
  settled(now: number): boolean {
    return now - this.#first >= this.windowMs;
  }

  #advance(now: number): void {
    if (this.#headStart === -Infinity) {
      this.#headStart = now;
      return;
    }
    let steps = Math.floor((now - this.#headStart) / this.#bucketMs);
    if (steps <= 0) return;
    this.#headStart += steps * this.#bucketMs;
    steps = Math.min(steps, this.#buckets.length);
    for (let i = 0; i < steps; i++) {
      this.#head = (this.#head + 1) % this.#buckets.length;
      this.#buckets[this.#head] = 0;
    }
  }
}

export interface LossBasedParams {
  increaseBelow: number;
  decreaseAbove: number;
  growth: number;
  decideEveryMs: number;
  /** Bits/s the estimate never drops under (audio and one small video stay possible). */
  floorBps: number;
}

/** A REMB under this fraction of the video sent means congestion. */
export const REMB_CONGESTED = 0.7;

export const DEFAULT_LOSS_BASED: LossBasedParams = { increaseBelow: 0.02, decreaseAbove: 0.1, growth: 1.05, decideEveryMs: 200, floorBps: 100_000 };

export class LossBasedEstimate {
  readonly params: LossBasedParams;
  #loss = Infinity;
  #worst = -1;
  #lastDecision = -Infinity;

  constructor(params: Partial<LossBasedParams> = {}) {
    this.params = { ...DEFAULT_LOSS_BASED, ...params };
  }

  /** Bits/s; Infinity when nothing limits it. */
  get estimate(): number {
    return this.#loss;
  }

  /** A receiver report's fraction lost (0–1) while we were sending `sendingBps`. Returns the estimate when it changed. */
  report(fractionLost: number, sendingBps: number, now: number): number | undefined {
    this.#worst = Math.max(this.#worst, fractionLost);
    if (now - this.#lastDecision < this.params.decideEveryMs) return undefined;
    const loss = this.#worst;
    this.#worst = -1;
    this.#lastDecision = now;
    const before = this.estimate;
    const { increaseBelow, decreaseAbove, growth, floorBps } = this.params;
    if (loss > decreaseAbove) {
      this.#loss = Math.max(floorBps, Math.min(this.#loss, sendingBps) * (1 - loss / 2));
    } else if (loss < increaseBelow && this.#loss !== Infinity) {
      this.#loss *= growth;
      if (this.#loss >= 2 * sendingBps) this.#loss = Infinity;
    }
    return this.estimate !== before ? this.estimate : undefined;
  }

  /** A REMB from the subscriber (bits/s) while we were sending it `videoBps` of video. Returns the estimate when it changed. */
  remb(bps: number, videoBps: number): number | undefined {
    const before = this.estimate;
    if (bps > 0 && bps < REMB_CONGESTED * videoBps) this.#loss = Math.max(this.params.floorBps, Math.min(this.#loss, bps));
    else if (bps > 0 && this.#loss !== Infinity) {
      this.#loss = Math.max(this.#loss, bps);
      if (this.#loss >= 2 * videoBps) this.#loss = Infinity;
    }
    return this.estimate !== before ? this.estimate : undefined;
  }
}
