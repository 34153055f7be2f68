/**
 * Which packets of one incoming stream to ask the publisher for again (generic NACK, RFC 4585 §6.2.1),
 * and when.
 *
 * A gap in the sequence numbers marks the packets in it missing. Each missing packet is requested at
 * once, then again every `retryIntervalMs` while it is still missing, at most `maxRetries` times; a
 * packet that arrives late or retransmitted leaves the list. libwebrtc's receiver works the same way
 * (request on detection, re-request about once per round trip, 10 tries). The relay doesn't know its
 * round trip to the publisher, so the interval is a fixed guess, by default libwebrtc's own when it
 * has no RTT estimate (100 ms).
 *
 * Two limits keep a broken or hostile stream from growing the list: a jump of more than `maxGap`
 * packets is taken as the stream starting over (nothing before it is requested: the decoder needs a
 * keyframe, which subscribers ask for themselves), and packets more than `maxAge` numbers behind the
 * newest are given up.
 *
 * Why not werift's NackHandler: it re-sends every 5 ms (its 10 tries are spent in 50 ms, before a
 * retransmission over a real network can arrive), compares raw 16-bit numbers (a loss across a wrap
 * stops its loss detection until the numbers come round again), keeps one list per m-section (three
 * simulcast layers mixed), and sorts the list as strings.
 *
 * Pure: sequence numbers in, sequence numbers out; time is a parameter.
 */
import { SeqUnwrapper, wrapSeq } from '../forward/unwrap.ts';

export type NackRequesterOptions = {
  retryIntervalMs?: number;
  maxRetries?: number;
  maxGap?: number;
  maxAge?: number;
};

type Missing = { sentAtMs: number; tries: number };

export class NackRequester {
  readonly #seqs = new SeqUnwrapper();
  /** Extended sequence number → requests so far; in ascending order (gaps are added in order). */
  readonly #missing = new Map<number, Missing>();
  readonly #retryIntervalMs: number;
  readonly #maxRetries: number;
  readonly #maxGap: number;
  readonly #maxAge: number;
  /** Counters for stats and tests. */
  readonly stats = { missed: 0, recovered: 0, givenUp: 0, restarts: 0 };

  constructor(options: NackRequesterOptions = {}) {
    this.#retryIntervalMs = options.retryIntervalMs ?? 100;
    this.#maxRetries = options.maxRetries ?? 10;
    this.#maxGap = options.maxGap ?? 500;
    this.#maxAge = options.maxAge ?? 3000;
  }

  /** Packets waiting to be recovered. */
  get pending(): number {
    return this.#missing.size;
  }

  /** A packet arrived. True when it opened a gap (a request is due now). */
  packet(seq: number): boolean {
    const before = this.#seqs.highest;
    const ext = this.#seqs.unwrap(seq);
    if (before < 0 || ext === before + 1) return this.#prune(ext), false;
    if (ext <= before) {
      if (this.#missing.delete(ext)) this.stats.recovered++;
      return false;
    }
    const gap = ext - before - 1;
    if (gap > this.#maxGap) {
      this.stats.givenUp += this.#missing.size;
      this.stats.restarts++;
      this.#missing.clear();
      return false;
    }
    for (let n = before + 1; n < ext; n++) this.#missing.set(n, { sentAtMs: -Infinity, tries: 0 });
    this.stats.missed += gap;
    this.#prune(ext);
    return true;
  }

  /** The 16-bit sequence numbers to request now, oldest first, at most `limit`; marks them requested at `nowMs`. */
  due(nowMs: number, limit = Infinity): number[] {
    const out: number[] = [];
    for (const [ext, m] of this.#missing) {
      if (out.length >= limit) break;
      if (nowMs - m.sentAtMs < this.#retryIntervalMs) continue;
      if (m.tries >= this.#maxRetries) {
        this.#missing.delete(ext);
        this.stats.givenUp++;
        continue;
      }
      m.tries++;
      m.sentAtMs = nowMs;
      out.push(wrapSeq(ext));
    }
    return out;
  }

  #prune(newest: number): void {
    for (const ext of this.#missing.keys()) {
      if (ext >= newest - this.#maxAge) return;
      this.#missing.delete(ext);
      this.stats.givenUp++;
    }
  }
}
