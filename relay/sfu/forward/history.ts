/**
 * What a subscriber was sent, by output sequence number: the source and its own sequence number, and
 * the output timestamp. A NACK names output numbers; retransmission needs the original packet (from the
 * publisher's packet cache) and the exact rewritten header it went out with. LiveKit calls this the
 * sequencer. A fixed ring indexed by the extended output number: no allocation per packet, and an entry
 * is trusted only if it still holds that exact number (an older lap of the ring does not count).
 *
 * The source column holds 16-bit indices into a table of the sources seen, not the ids themselves: a
 * slot carries one source at a time and a few over its life, and a reference per entry took 8 bytes of
 * the 23 an entry cost (17 now), in two rings per video slot (the munger's and the direct send path's),
 * at 150 participants thousands of slots. A table full of ids (65,535 distinct sources on one slot) is
 * compacted to the ids entries still hold, at most one per entry.
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

/** Distinct sources one history's table holds before it is compacted (indices are 16-bit). */
export const MAX_SOURCES = 0xffff;

export class OutputHistory {
  readonly mask: number;
  /** The highest output number recorded, or -1: 16-bit NACKed numbers are placed near it. */
  newest = -1;
  private readonly out: Float64Array;
  private readonly seq: Uint16Array;
  private readonly ts: Uint32Array;
  /** Each entry's index into `sources`. */
  private readonly source: Uint16Array;
  private readonly padding: Uint8Array;
  /** The distinct sources entries name, by index. */
  private sources: SourceId[] = [];
  private lastSource: SourceId | undefined;
  private lastIndex = 0;

  constructor(readonly size: number, readonly maxSources = MAX_SOURCES) {
    if (!(size >= 16 && (size & (size - 1)) === 0)) throw new ForwardConfigError(`history size must be a power of two ≥ 16, got ${size}`);
    if (!(Number.isInteger(maxSources) && maxSources > size && maxSources <= MAX_SOURCES)) throw new ForwardConfigError(`maxSources must be a whole number in (size, ${MAX_SOURCES}], got ${maxSources}`);
    this.mask = size - 1;
    this.out = new Float64Array(size).fill(-1);
    this.seq = new Uint16Array(size);
    this.ts = new Uint32Array(size);
    this.source = new Uint16Array(size);
    this.padding = new Uint8Array(size);
  }

  record(outExt: number, outTs: number, sourceId: SourceId, seq: number, padding: boolean): void {
    const i = outExt & this.mask;
    this.out[i] = outExt;
    this.seq[i] = seq;
    this.ts[i] = wrapTs(outTs);
    this.source[i] = this.indexOf(sourceId);
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
    target.sourceId = this.sources[this.source[i]!] ?? '';
    target.seq = this.seq[i] ?? 0;
    target.outSeq = outSeq & 0xffff;
    target.outExt = outExt;
    target.outTs = this.ts[i] ?? 0;
    target.padding = this.padding[i] === 1;
    return target;
  }

  /** Distinct sources the table holds now (entries' sources, and some no entry names any more). */
  get sourceCount(): number {
    return this.sources.length;
  }

  private indexOf(id: SourceId): number {
    if (id === this.lastSource) return this.lastIndex;
    let k = this.sources.indexOf(id);
    if (k < 0) {
      if (this.sources.length >= this.maxSources) this.compact();
      k = this.sources.push(id) - 1;
    }
    this.lastSource = id;
    this.lastIndex = k;
    return k;
  }

  /** Keeps only the sources entries still name, renumbered; at most `size` of them, so room is left. */
  private compact(): void {
    const kept: SourceId[] = [];
    const renumber = new Map<number, number>();
    for (let i = 0; i < this.size; i++) {
      if (this.out[i]! < 0) continue;
      const old = this.source[i]!;
      let k = renumber.get(old);
      if (k === undefined) {
        k = kept.push(this.sources[old]!) - 1;
        renumber.set(old, k);
      }
      this.source[i] = k;
    }
    this.sources = kept;
    this.lastSource = undefined;
  }
}
