/**
 * One source's mapping onto a slot's output (see munger.ts): output = input + delta on extended
 * numbers, from the switch point on. Its drop ranges let a late packet find the delta of its own
 * position. Mutable and recycled by the munger, so a switch allocates nothing.
 */
import { DropRanges } from './drop-ranges.ts';
import type { SourceId } from './decision.ts';
import { unwrapSeqNear } from './unwrap.ts';

export class SourceMapping {
  id: SourceId | null = null;
  /** Extended input seq of the switch point: anything older was never given an output number here. */
  startExt = 0;
  /** Newest extended input seq given an output number here (or dropped in order): the mapping's end. */
  highestExt = 0;
  /**
   * Newest extended input seq seen at all: the same while the source is current, still advancing after
   * it became the previous one, so its packets keep unwrapping correctly and age out of the window.
   */
  seenExt = 0;
  /** Extended input timestamp of the newest packet: the reference for unwrapping the next one. */
  tsRefExt = 0;
  /** Deltas for packets newer than the newest drop. */
  seqDelta = 0;
  tsDelta = 0;
  readonly drops: DropRanges;

  constructor(dropRuns: number) {
    this.drops = new DropRanges(dropRuns);
  }

  begin(id: SourceId | null, ext: number, tsExt: number, seqDelta: number, tsDelta: number): void {
    this.id = id;
    this.startExt = this.highestExt = this.seenExt = ext;
    this.tsRefExt = tsExt;
    this.seqDelta = seqDelta;
    this.tsDelta = tsDelta;
    this.drops.reset(seqDelta, ext);
  }

  /**
   * For the previous mapping: the extended number of a packet still arriving from this source, or -1
   * if it is newer than anything this mapping gave a number to (it belongs to no output).
   */
  placeAfterward(seq: number): number {
    const ext = unwrapSeqNear(this.seenExt, seq);
    if (ext > this.seenExt) this.seenExt = ext;
    return ext <= this.highestExt ? ext : -1;
  }

  /** A newest packet was dropped on purpose: later ones close ranks so the output has no hole. */
  skip(ext: number, tsExt: number): void {
    this.highestExt = this.seenExt = ext;
    this.tsRefExt = tsExt;
    this.seqDelta -= 1;
    this.drops.add(ext, this.seqDelta);
  }
}
