/**
 * What one subscriber measures of one received RTP stream (one slot SSRC as the relay rewrote it),
 * from the plain RTP header alone, so it needs no decryption; time is passed in.
 *
 * - Loss: sequence numbers are unwrapped to a monotonic number; over the measured window,
 *   expected = highest − first + 1 (RFC 3550 A.3), lost = expected − received (a duplicate counts as received,
 *   as in RFC 3550, so loss could read a little low; loopback does not duplicate). The relay's munger keeps a slot's numbers contiguous for
 *   what it chose to forward and preserves gaps of packets it lost on the way in, so a gap is a packet
 *   the relay meant this subscriber to have (or lost at its own ingress) that never arrived.
 * - Jitter: RFC 3550 §6.4.1 interarrival jitter, J += (|D| − J)/16, in ms, from arrival time and RTP
 *   timestamp. The generator stamps RTP timestamps from its clock at send time, so this is the
 *   jitter added by the path (relay, sockets, receiver), not by the generator's scheduling.
 */
export class StreamStats {
  received = 0;
  #first = -1;
  #highest = -1;
  #transit = NaN;
  /** RFC 3550 jitter, in RTP timestamp units. */
  #jitter = 0;

  constructor(readonly clockRate: number) {}

  /** One arriving packet: its 16-bit sequence number, 32-bit RTP timestamp, and arrival time (ms). */
  add(seq16: number, timestamp: number, arrivalMs: number): void {
    // Unwrap: the extended number nearest to the highest so far with these low 16 bits.
    const ext = this.#highest < 0 ? seq16 : this.#highest + ((((seq16 - (this.#highest & 0xffff) + 0x8000) & 0xffff) - 0x8000));
    if (this.#first < 0 || ext < this.#first) this.#first = ext;
    if (ext > this.#highest) this.#highest = ext;
    this.received++;
    const transit = (arrivalMs * this.clockRate) / 1000 - timestamp;
    if (!Number.isNaN(this.#transit)) {
      let d = Math.abs(transit - this.#transit);
      // A timestamp wrap (2^32) shows as a huge step: skip it rather than poison the estimate.
      if (d > 2 ** 31) d = this.#jitter;
      this.#jitter += (d - this.#jitter) / 16;
    }
    this.#transit = transit;
  }

  get expected(): number {
    return this.#first < 0 ? 0 : this.#highest - this.#first + 1;
  }

  get lost(): number {
    return Math.max(0, this.expected - this.received);
  }

  get jitterMs(): number {
    return (this.#jitter * 1000) / this.clockRate;
  }
}

/** Percentile of an ascending-sorted array (nearest rank); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
