/**
 * Wraparound, in one place (STYLE §4: unwrap at ingress, wrap again at egress).
 *
 * RTP sequence numbers are 16 bits and wrap every 65,536 packets (about 20 s of 720p video at
 * 3,000 packets/s, minutes for audio); RTP timestamps are 32 bits and wrap every 13 h at 90 kHz, but
 * start at a random value so the first wrap can come at any moment. Comparing raw values across a wrap
 * is the classic SFU bug, so everything past ingress works on "extended" numbers: plain integers that
 * only grow, well inside Number.MAX_SAFE_INTEGER for any realistic session.
 *
 * An incoming value is placed at the extended number nearest to a reference (the highest seen so far):
 * a 16-bit value up to 32,767 ahead is taken as newer, anything else as older (a late or reordered
 * packet). A forward jump of more than half the space is therefore indistinguishable from a very late
 * packet; RFC 3550 A.1 makes the same trade-off, and at that distance the stream has restarted anyway.
 *
 * The first value seen is placed one whole cycle up (seq + 2^16, ts + 2^32), so packets that arrive late
 * from before the first one still get non-negative extended numbers.
 */

export const SEQ_CYCLE = 0x1_0000;
export const TS_CYCLE = 0x1_0000_0000;

/** An extended sequence number back to its 16-bit wire value. */
export function wrapSeq(n: number): number {
  return n & 0xffff;
}

/** An extended timestamp back to its 32-bit wire value. */
export function wrapTs(n: number): number {
  return n >>> 0;
}

/** Signed distance from `from` to `to` on the 16-bit circle, in [-32768, 32767]. */
export function seqDistance(from: number, to: number): number {
  return (((to & 0xffff) - (from & 0xffff)) << 16) >> 16;
}

/** Signed distance from `from` to `to` on the 32-bit circle, in [-2^31, 2^31 - 1]. */
export function tsDistance(from: number, to: number): number {
  return ((to >>> 0) - (from >>> 0)) | 0;
}

/** The extended sequence number of the 16-bit `seq` nearest to the extended `reference`. */
export function unwrapSeqNear(reference: number, seq: number): number {
  return reference + seqDistance(reference, seq);
}

/** The extended timestamp of the 32-bit `ts` nearest to the extended `reference`. */
export function unwrapTsNear(reference: number, ts: number): number {
  return reference + tsDistance(reference, ts);
}

/** Turns one stream's 16-bit sequence numbers into extended ones, in arrival order. */
export class SeqUnwrapper {
  private top = -1;

  /** The highest extended sequence number seen, or -1 before the first packet. */
  get highest(): number {
    return this.top;
  }

  unwrap(seq: number): number {
    if (this.top < 0) {
      this.top = (seq & 0xffff) + SEQ_CYCLE;
      return this.top;
    }
    const ext = unwrapSeqNear(this.top, seq);
    if (ext > this.top) this.top = ext;
    return ext;
  }

  reset(): void {
    this.top = -1;
  }
}

/** Turns one stream's 32-bit RTP timestamps into extended ones, in arrival order. */
export class TimestampUnwrapper {
  private top = -1;

  /** The highest extended timestamp seen, or -1 before the first packet. */
  get highest(): number {
    return this.top;
  }

  unwrap(ts: number): number {
    if (this.top < 0) {
      this.top = (ts >>> 0) + TS_CYCLE;
      return this.top;
    }
    const ext = unwrapTsNear(this.top, ts);
    if (ext > this.top) this.top = ext;
    return ext;
  }

  reset(): void {
    this.top = -1;
  }
}
