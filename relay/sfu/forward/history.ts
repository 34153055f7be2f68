/**
 * What a subscriber was sent, by output sequence number: the source and its own sequence number, and
 * the output timestamp. A NACK names output numbers; retransmission needs the original packet (from the
 * publisher's packet cache) and the exact rewritten header it went out with. LiveKit calls this the
 * sequencer. A fixed ring indexed by the extended output number: no allocation per packet, and an entry
 * is trusted only if it still holds that exact number (an older lap of the ring does not count).
 */
import { ForwardConfigError } from './errors.ts';
import type { SourceId } from './decision.ts';
import { unwrapSeqNear, wrapTs } from './unwrap.ts';

/** Where a subscriber's output packet came from, for retransmission. */
export type NackTarget = {
  sourceId: SourceId;
  /** The source's own 16-bit sequence number: the key into its packet cache. */
  seq: number;
  outSeq: number;
  /** The output number extended: unique for the life of the slot, unlike `outSeq`. */
  outExt: number;
  outTs: number;
  /** The slot was filled with padding (its source packet was filtered out): resend padding, not the packet. */
  padding: boolean;
};

export class OutputHistory {
  readonly mask: number;
  /** The highest output number recorded, or -1: 16-bit NACKed numbers are placed near it. */
  newest = -1;
  private readonly out: Float64Array;
  private readonly seq: Uint16Array;
  private readonly ts: Uint32Array;
  private readonly source: SourceId[];
  private readonly padding: Uint8Array;

  constructor(readonly size: number) {
    if (!(size >= 16 && (size & (size - 1)) === 0)) throw new ForwardConfigError(`history size must be a power of two ≥ 16, got ${size}`);
    this.mask = size - 1;
    this.out = new Float64Array(size).fill(-1);
    this.seq = new Uint16Array(size);
    this.ts = new Uint32Array(size);
    this.source = new Array<SourceId>(size).fill('');
    this.padding = new Uint8Array(size);
  }

  record(outExt: number, outTs: number, sourceId: SourceId, seq: number, padding: boolean): void {
    const i = outExt & this.mask;
    this.out[i] = outExt;
    this.seq[i] = seq;
    this.ts[i] = wrapTs(outTs);
    this.source[i] = sourceId;
    this.padding[i] = padding ? 1 : 0;
    if (outExt > this.newest) this.newest = outExt;
  }

  has(outExt: number): boolean {
    return this.out[outExt & this.mask] === outExt;
  }

  /** The entry for 16-bit `outSeq`, taken as the output number nearest to the newest recorded. */
  lookup(outSeq: number, into?: NackTarget): NackTarget | undefined {
    if (this.newest < 0) return undefined;
    const outExt = unwrapSeqNear(this.newest, outSeq);
    const i = outExt & this.mask;
    if (this.out[i] !== outExt) return undefined;
    const target = into ?? { sourceId: '', seq: 0, outSeq: 0, outExt: 0, outTs: 0, padding: false };
    target.sourceId = this.source[i] ?? '';
    target.seq = this.seq[i] ?? 0;
    target.outSeq = outSeq & 0xffff;
    target.outExt = outExt;
    target.outTs = this.ts[i] ?? 0;
    target.padding = this.padding[i] === 1;
    return target;
  }
}
