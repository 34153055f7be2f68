/**
 * Packets of a switch target that arrived before the keyframe the switch waits for, but belong after
 * it: reordering put the keyframe's first packet behind its successors. They were dropped while the
 * target was not yet forwarded, so their output numbers become holes the subscriber will NACK. Keeping
 * their sequence number and timestamp for a moment lets the munger note them in its history at the
 * switch, so those NACKs are answered from the packet cache instead of ending in a keyframe request.
 * A small ring of raw wire values: only the newest few matter, and it costs nothing outside switches.
 */
import type { OutputHistory } from './history.ts';
import type { SourceMapping } from './source-mapping.ts';
import { unwrapSeqNear, unwrapTsNear } from './unwrap.ts';

export class EarlyPackets {
  private readonly seqs: Uint16Array;
  private readonly tss: Uint32Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.seqs = new Uint16Array(capacity);
    this.tss = new Uint32Array(capacity);
  }

  add(seq: number, ts: number): void {
    this.seqs[this.next] = seq;
    this.tss[this.next] = ts;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  clear(): void {
    this.count = 0;
  }

  /**
   * Right after the switch, with `mapping` begun at the keyframe: records in `history` the packets that
   * belong after the keyframe (within `window`) under the output numbers they would have had; forgets all.
   */
  drainInto(mapping: SourceMapping, history: OutputHistory, window: number): void {
    for (let i = 0; i < this.count; i++) {
      const seq = this.seqs[i] ?? 0;
      const ext = unwrapSeqNear(mapping.startExt, seq);
      const delta = mapping.drops.deltaAt(ext);
      if (ext <= mapping.startExt || ext - mapping.startExt > window || delta === undefined) continue;
      const outTs = unwrapTsNear(mapping.tsRefExt, this.tss[i] ?? 0) + mapping.tsDelta;
      history.record(ext + delta, outTs, mapping.id ?? '', seq, false);
    }
    this.count = 0;
  }
}
