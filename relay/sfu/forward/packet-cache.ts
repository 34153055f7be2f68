/**
 * Recent packets of one publisher stream, to answer subscribers' NACKs (RFC 4585 generic NACK) without
 * asking the publisher again. Like Galène's packetcache: a ring indexed by the extended sequence number
 * (the ingress unwraps once, unwrap.ts), capacity by count (512 is about 170 ms of a 3 Mb/s camera
 * layer, several round trips of a typical subscriber; NACKs for older packets are usually too late to
 * help anyway).
 *
 * Bytes are copied in, into slot buffers that are reused as the ring turns, so a steady stream stops
 * allocating once the ring is full. The flip side: `get()` returns a view of the stored bytes, valid
 * until that slot is overwritten or swept.
 *
 * Capacity by count alone keeps far too much of a slow stream: 512 packets of a 30 packets/s simulcast
 * layer are 17 s, and a layer the publisher stopped sending keeps its last 512 forever. With `maxAgeMs`,
 * `sweep(now)` drops the bytes of packets stored longer ago than that (libwebrtc's sender keeps its
 * history about as long: 1 s, or 3 round trips when longer), so a relay with 150 publishers holds about a
 * second of each stream rather than up to 512 packets of every layer that ever flowed. A caller must copy before handing them to a transport — werift's
 * `writeRtp` rewrites and keeps what it is given, so a buffer shared across subscribers, or with this
 * cache, would be corrupted (NackResponder does the copy).
 */
import { ForwardConfigError } from './errors.ts';
import { unwrapSeqNear } from './unwrap.ts';

/** Slot buffers grow in steps of this, so a slightly bigger packet than last lap rarely reallocates. */
const SLOT_STEP = 128;

export type PacketCacheStats = { stored: number; duplicates: number; tooOld: number; hits: number; misses: number };

export class PacketCache {
  readonly capacity: number;
  readonly stats: PacketCacheStats = { stored: 0, duplicates: 0, tooOld: 0, hits: 0, misses: 0 };
  private top = -1;
  private readonly mask: number;
  private readonly seqs: Float64Array;
  private readonly lengths: Uint32Array;
  private readonly buffers: (Uint8Array | undefined)[];
  private readonly times: Float64Array;
  /** The lowest extended number that may still hold bytes (sweep() starts there). */
  private low = -1;

  constructor(
    capacity = 512,
    readonly maxAgeMs = Infinity,
  ) {
    if (!(capacity >= 1 && (capacity & (capacity - 1)) === 0)) throw new ForwardConfigError(`packet cache capacity must be a power of two, got ${capacity}`);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.seqs = new Float64Array(capacity).fill(-1);
    this.lengths = new Uint32Array(capacity);
    this.buffers = new Array<Uint8Array | undefined>(capacity).fill(undefined);
    this.times = new Float64Array(capacity);
  }

  /** Newest extended sequence number stored, or -1 while empty. */
  get newest(): number {
    return this.top;
  }

  /**
   * Stores a copy of `packet` under extended sequence number `ext`. Returns false, storing nothing,
   * for a duplicate (the first copy is kept) or for a packet too old for the ring.
   */
  put(ext: number, packet: Uint8Array, nowMs = 0): boolean {
    if (ext <= this.top - this.capacity) {
      this.stats.tooOld += 1;
      return false;
    }
    const i = ext & this.mask;
    if (this.seqs[i] === ext) {
      this.stats.duplicates += 1;
      return false;
    }
    const length = packet.byteLength;
    let buffer = this.buffers[i];
    if (buffer === undefined || buffer.byteLength < length) {
      buffer = new Uint8Array(Math.ceil(length / SLOT_STEP) * SLOT_STEP);
      this.buffers[i] = buffer;
    }
    buffer.set(packet);
    this.seqs[i] = ext;
    this.lengths[i] = length;
    this.times[i] = nowMs;
    if (ext > this.top) this.top = ext;
    if (this.low < 0 || ext < this.low) this.low = ext;
    this.stats.stored += 1;
    return true;
  }

  /** The stored bytes of `ext` (a view: copy before sending), or undefined if evicted or never stored. */
  get(ext: number): Uint8Array | undefined {
    const i = ext & this.mask;
    const buffer = this.buffers[i];
    if (this.seqs[i] !== ext || buffer === undefined) {
      this.stats.misses += 1;
      return undefined;
    }
    this.stats.hits += 1;
    return buffer.subarray(0, this.lengths[i]);
  }

  /** `get()` by 16-bit sequence number, taken as the one nearest to the newest stored. */
  getBySeq(seq: number): Uint8Array | undefined {
    if (this.top >= 0) return this.get(unwrapSeqNear(this.top, seq));
    this.stats.misses += 1;
    return undefined;
  }

  /** The extended number `seq` would have in this cache (nearest to the newest), or -1 while empty. */
  resolve(seq: number): number {
    return this.top < 0 ? -1 : unwrapSeqNear(this.top, seq);
  }

  /**
   * Drops the bytes of packets stored more than `maxAgeMs` before `nowMs`, oldest first, up to the
   * first younger one. Each stored number is looked at once over the cache's life, so a sweep per
   * room tick costs about nothing for a steady stream.
   */
  sweep(nowMs: number): void {
    if (this.low < 0 || !(this.maxAgeMs < Infinity)) return;
    if (this.low <= this.top - this.capacity) this.low = this.top - this.capacity + 1;
    for (; this.low <= this.top; this.low++) {
      const i = this.low & this.mask;
      if (this.seqs[i] !== this.low) continue;
      if (nowMs - this.times[i]! <= this.maxAgeMs) return;
      this.seqs[i] = -1;
      this.buffers[i] = undefined;
    }
  }

  clear(): void {
    this.seqs.fill(-1);
    this.buffers.fill(undefined);
    this.top = -1;
    this.low = -1;
  }
}
