/**
 * Which sequence offset applied to an input packet, remembered across the packets the SFU dropped.
 *
 * The munger maps a source's extended input sequence number to an output one by adding a delta. Each
 * packet the SFU drops on purpose (a temporal layer it does not forward, padding) lowers the delta by
 * one for everything after it, so the subscriber sees no hole it would NACK. A packet that arrives late
 * must get the delta that applied at *its* position, not the current one, and a late copy of a packet
 * that was dropped must not be sent at all (its output number now belongs to the next packet).
 *
 * Runs of consecutive drops are merged into one entry; entries live in a ring, so a long stream of
 * drops costs no allocation. When the ring is full the oldest entry is forgotten and `floor` rises:
 * anything older can no longer be placed and is reported as too old. The ring starts small and doubles
 * up to `capacity` as runs come: there are two per munger, one munger per slot, and most slots (every
 * audio slot) never drop a packet; at `capacity` from the start, 150 participants held 50 MB of them.
 */

const INITIAL = 8;

export class DropRanges {
  /** Inputs below this extended sequence number cannot be mapped any more. */
  floor = 0;
  private base = 0;
  private start: Float64Array;
  private end: Float64Array;
  private deltaAfter: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    const size = Math.min(INITIAL, capacity);
    this.start = new Float64Array(size);
    this.end = new Float64Array(size);
    this.deltaAfter = new Float64Array(size);
  }

  /** Entries the ring holds now (up to `capacity`). */
  get allocated(): number {
    return this.start.length;
  }

  /** Forgets every drop: all inputs from `floor` on map with `delta`. */
  reset(delta: number, floor: number): void {
    this.base = delta;
    this.floor = floor;
    this.head = 0;
    this.count = 0;
  }

  /** Records that input `ext` (newer than everything recorded) was dropped; later inputs map with `delta`. */
  add(ext: number, delta: number): void {
    if (this.count === this.start.length && this.count < this.capacity) this.#grow();
    const cap = this.start.length;
    if (this.count > 0) {
      const newest = (this.head + this.count - 1) % cap;
      if (this.end[newest] === ext - 1) {
        this.end[newest] = ext;
        this.deltaAfter[newest] = delta;
        return;
      }
    }
    if (this.count === cap) {
      // Forget the oldest run: what was after it becomes the base, and what was before it unplaceable.
      this.base = this.deltaAfter[this.head] ?? this.base;
      this.floor = (this.end[this.head] ?? this.floor) + 1;
      this.head = (this.head + 1) % cap;
      this.count -= 1;
    }
    const slot = (this.head + this.count) % cap;
    this.start[slot] = ext;
    this.end[slot] = ext;
    this.deltaAfter[slot] = delta;
    this.count += 1;
  }

  /**
   * The delta that applied to input `ext`, or undefined if `ext` was itself dropped or is below `floor`.
   * Scans from the newest run, since late packets are nearly always recent.
   */
  deltaAt(ext: number): number | undefined {
    if (ext < this.floor) return undefined;
    const cap = this.start.length;
    for (let i = this.count - 1; i >= 0; i--) {
      const slot = (this.head + i) % cap;
      const start = this.start[slot] ?? 0;
      if (start > ext) continue;
      return ext <= (this.end[slot] ?? 0) ? undefined : this.deltaAfter[slot];
    }
    return this.base;
  }

  /**
   * Twice the room (at most `capacity`). Only a full ring below `capacity` grows, and the ring only
   * turns (head moves) at `capacity`, so the runs sit in order from index 0 and copy as they are.
   */
  #grow(): void {
    const size = Math.min(this.capacity, this.start.length * 2);
    const grown = (from: Float64Array) => {
      const to = new Float64Array(size);
      to.set(from);
      return to;
    };
    this.start = grown(this.start);
    this.end = grown(this.end);
    this.deltaAfter = grown(this.deltaAfter);
  }
}
