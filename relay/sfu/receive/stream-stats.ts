/**
 * What a receiver reports about one incoming RTP stream (RFC 3550 §6.4.1, algorithms of appendix A.3
 * and A.8): the report block of a receiver report.
 *
 * - Extended highest sequence number: the 16-bit number with the count of wraps above it. Sequence
 *   numbers are unwrapped at ingress (../forward/unwrap.ts), starting one cycle up, so the wire value
 *   is the extended number less that cycle.
 * - Cumulative lost: expected (highest − first + 1) less received, duplicates included, so it may go
 *   negative; sent as a signed 24-bit number, clamped.
 * - Fraction lost: the same, over the interval since the last report, in 1/256; 0 when nothing is missing
 *   (a negative interval count is reported as 0, as the RFC says).
 * - Interarrival jitter: the mean deviation of the transit-time difference between consecutive packets,
 *   in timestamp units, smoothed by 1/16. Only packets that advance the stream count: a retransmission or
 *   a late packet carries an old timestamp and would read as a jump in transit time.
 * - LSR/DLSR: the middle 32 bits of the last sender report's NTP time, and the delay since it arrived in
 *   1/65536 s, from which the sender works out the round trip.
 *
 * Time is a parameter (milliseconds, any monotonic origin): the adapter reads the clock.
 */
import { SEQ_CYCLE, SeqUnwrapper, tsDistance } from '../forward/unwrap.ts';

export type ReportBlock = {
  ssrc: number;
  /** 0–255: lost ÷ expected since the last report, × 256. */
  fractionLost: number;
  /** Signed 24-bit. */
  packetsLost: number;
  /** 32 bits: wraps × 2^16 + highest sequence number. */
  highestSequence: number;
  /** Timestamp units. */
  jitter: number;
  lsr: number;
  dlsr: number;
};

const LOST_MAX = 0x7f_ffff;
const LOST_MIN = -0x80_0000;

export class StreamStats {
  readonly #seqs = new SeqUnwrapper();
  #base = -1;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #jitter = 0;
  /** Arrival (timestamp units) and RTP timestamp of the last packet that advanced the stream. */
  #lastArrival = 0;
  #lastTimestamp = 0;
  #lsr = 0;
  #srAtMs = -1;
  readonly #unitsPerMs: number;

  constructor(
    readonly ssrc: number,
    clockRate: number,
  ) {
    this.#unitsPerMs = clockRate / 1000;
  }

  get received(): number {
    return this.#received;
  }

  /** One packet arrived: its 16-bit sequence number, 32-bit RTP timestamp and arrival time. */
  packet(seq: number, timestamp: number, nowMs: number): void {
    const before = this.#seqs.highest;
    const ext = this.#seqs.unwrap(seq);
    this.#received++;
    const arrival = nowMs * this.#unitsPerMs;
    if (before < 0) {
      this.#base = ext;
    } else if (ext > before) {
      const d = arrival - this.#lastArrival - tsDistance(this.#lastTimestamp, timestamp);
      this.#jitter += (Math.abs(d) - this.#jitter) / 16;
    } else {
      if (ext < this.#base) this.#base = ext;
      return;
    }
    this.#lastArrival = arrival;
    this.#lastTimestamp = timestamp;
  }

  /** A sender report about this stream arrived: its 64-bit NTP time as two 32-bit words. */
  senderReport(ntpSeconds: number, ntpFraction: number, nowMs: number): void {
    this.#lsr = (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0;
    this.#srAtMs = nowMs;
  }

  /**
   * The report block as of `nowMs`, and the next interval starts; undefined when no packet came since
   * the last report (RFC 3550 §6.4: blocks are for sources heard since then, e.g. not a simulcast layer
   * the publisher stopped).
   */
  report(nowMs: number): ReportBlock | undefined {
    const highest = this.#seqs.highest;
    if (highest < 0 || this.#received === this.#receivedPrior) return undefined;
    const expected = highest - this.#base + 1;
    const expectedInterval = expected - this.#expectedPrior;
    const lostInterval = expectedInterval - (this.#received - this.#receivedPrior);
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const dlsr = this.#srAtMs < 0 ? 0 : Math.max(0, Math.min(0xffff_ffff, Math.round((nowMs - this.#srAtMs) * 65.536)));
    return {
      ssrc: this.ssrc,
      fractionLost: expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.min(255, Math.floor((lostInterval * 256) / expectedInterval)),
      packetsLost: Math.max(LOST_MIN, Math.min(LOST_MAX, expected - this.#received)),
      highestSequence: Math.max(0, highest - SEQ_CYCLE) >>> 0,
      jitter: Math.floor(this.#jitter) >>> 0,
      lsr: this.#lsr,
      dlsr: this.#srAtMs < 0 ? 0 : dlsr,
    };
  }
}
