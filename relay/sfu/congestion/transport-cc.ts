/**
 * Transport-wide congestion control feedback, the receiving side
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): what the relay tells a publisher about
 * when each of its packets arrived, so the browser's send-side estimator (GoogCC) can see queuing
 * delay build up and raise or lower its bitrate from it.
 *
 * Without it the relay gives a publisher receiver reports only, and the browser's estimate then moves
 * on loss alone: measured, a camera that dropped its 720p layer took 10.5–14.5 s to get it back. With
 * per-packet arrival times the browser probes and climbs in a few seconds.
 *
 * The publisher numbers every packet of the transport (audio and video alike) with a 16-bit
 * transport-wide sequence number in a header extension. The relay notes each one's arrival time here;
 * every feedback interval it takes one or more RTCP packets (PT 205, FMT 15) covering every number
 * from the first not yet reported to the highest seen: received or not, and for each received one its
 * arrival delta in 250 µs ticks. Pure: numbers and times in, bytes out; the caller owns the clock,
 * the timer and the socket.
 *
 * Wire format, in brief:
 * - a reference time (24 bits, 64 ms units) and the feedback packet count (8 bits, wrapping);
 * - packet status chunks of 16 bits: a run of one status (up to 8,191), or a vector of 14 one-bit or
 *   7 two-bit statuses. Statuses: 0 not received, 1 received with a small delta (one byte, 0–63.75 ms),
 *   2 received with a large or negative delta (two bytes, signed);
 * - the deltas, the first from the reference time, each next from the one before. Deltas are rounded
 *   from the running quantised time, not the previous true arrival, so rounding never accumulates;
 * - zero padding to 32 bits, its length in the last byte and the P bit set (RFC 3550 §6.4.1).
 *
 * A packet that arrives after a feedback already reported its number (reordered across a feedback
 * interval, rare) stays reported as lost: reporting a range again could say "lost" of numbers an earlier
 * feedback said arrived. A delta beyond a two-byte tick count (±8.2 s) or a long report is split into
 * several packets.
 */
import { SeqUnwrapper } from '../forward/unwrap.ts';

export const TRANSPORT_CC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

const TICK_US = 250;
const REFERENCE_US = 64_000;
const REFERENCE_CYCLE = 1 << 24;
/** Statuses per RTCP packet: at most 20 + 2·⌈300/7⌉ + 2·300 = 706 bytes, well inside any MTU. */
const MAX_STATUSES = 300;
const MAX_RUN = 0x1fff;

const NOT_RECEIVED = 0;
const SMALL = 1;
const LARGE = 2;

export class TransportCcFeedback {
  /** Extended sequence number → arrival time (µs), of the numbers not yet reported. */
  readonly #arrivals = new Map<number, number>();
  readonly #unwrapper = new SeqUnwrapper();
  /** Extended number of the first not yet reported. */
  #next: number | undefined;
  #count = 0;

  /** Notes the arrival of transport-wide sequence number `seq` (16 bits) at `arrivalUs`. */
  received(seq: number, arrivalUs: number): void {
    const n = this.#unwrapper.unwrap(seq);
    if (n < 0 || (this.#next !== undefined && n < this.#next) || this.#arrivals.has(n)) return;
    this.#arrivals.set(n, arrivalUs);
    this.#next ??= n;
  }

  /**
   * The feedback packets for every number from the first not yet reported to the highest seen (none
   * when nothing arrived since the last call), each a whole RTCP packet. `senderSsrc` is ours,
   * `mediaSsrc` one of the publisher's (receivers ignore it).
   */
  take(senderSsrc: number, mediaSsrc: number): Uint8Array[] {
    const packets: Uint8Array[] = [];
    const highest = this.#unwrapper.highest;
    if (this.#next !== undefined && this.#next <= highest) {
      let from = this.#next;
      while (from <= highest) {
        const built = this.#packet(from, senderSsrc, mediaSsrc);
        if (!built) break;
        packets.push(built.bytes);
        from = built.end;
      }
      this.#next = highest + 1;
    }
    this.#arrivals.clear();
    return packets;
  }

  /** One packet from extended number `from`: as many statuses as fit, or undefined if none arrived from there. */
  #packet(from: number, senderSsrc: number, mediaSsrc: number): { bytes: Uint8Array; end: number } | undefined {
    const highest = this.#unwrapper.highest;
    let first = from;
    while (first <= highest && !this.#arrivals.has(first)) first++;
    if (first > highest) return undefined;
    const referenceTicks = Math.floor(this.#arrivals.get(first)! / REFERENCE_US);
    let last = referenceTicks * REFERENCE_US; // the quantised running time the deltas move
    const statuses: number[] = [];
    const deltas: number[] = [];
    let end = from;
    for (; end <= highest && statuses.length < MAX_STATUSES; end++) {
      const at = this.#arrivals.get(end);
      if (at === undefined) {
        statuses.push(NOT_RECEIVED);
        continue;
      }
      const ticks = Math.round((at - last) / TICK_US);
      if (ticks < -0x8000 || ticks > 0x7fff) break; // the next packet starts from here
      statuses.push(ticks >= 0 && ticks <= 0xff ? SMALL : LARGE);
      deltas.push(ticks);
      last += ticks * TICK_US;
    }
    return { bytes: this.#serialize(from, referenceTicks % REFERENCE_CYCLE, statuses, deltas, senderSsrc, mediaSsrc), end };
  }

  #serialize(base: number, reference: number, statuses: number[], deltas: number[], senderSsrc: number, mediaSsrc: number): Uint8Array {
    const chunks = encodeChunks(statuses);
    let deltaBytes = 0;
    for (const d of deltas) deltaBytes += d >= 0 && d <= 0xff ? 1 : 2;
    const unpadded = 20 + 2 * chunks.length + deltaBytes;
    const padding = (4 - (unpadded % 4)) % 4;
    const bytes = new Uint8Array(unpadded + padding);
    const view = new DataView(bytes.buffer);
    bytes[0] = 0x80 | (padding > 0 ? 0x20 : 0) | 15;
    bytes[1] = 205;
    view.setUint16(2, bytes.length / 4 - 1);
    view.setUint32(4, senderSsrc >>> 0);
    view.setUint32(8, mediaSsrc >>> 0);
    view.setUint16(12, base & 0xffff);
    view.setUint16(14, statuses.length);
    bytes[16] = (reference >> 16) & 0xff;
    bytes[17] = (reference >> 8) & 0xff;
    bytes[18] = reference & 0xff;
    bytes[19] = this.#count;
    this.#count = (this.#count + 1) & 0xff;
    let at = 20;
    for (const c of chunks) {
      view.setUint16(at, c);
      at += 2;
    }
    for (const d of deltas) {
      if (d >= 0 && d <= 0xff) bytes[at++] = d;
      else {
        view.setInt16(at, d);
        at += 2;
      }
    }
    if (padding > 0) bytes[bytes.length - 1] = padding;
    return bytes;
  }
}

/**
 * Statuses as 16-bit chunks, greedily: a run of 14 or more is one run-length chunk; otherwise 14
 * statuses without large deltas fit a one-bit vector, a run of 7 or more a run-length chunk, and the
 * rest go 7 at a time in two-bit vectors. A vector's unused symbols are "not received": the status
 * count tells the reader where the list ends.
 */
export function encodeChunks(statuses: readonly number[]): number[] {
  const chunks: number[] = [];
  let i = 0;
  while (i < statuses.length) {
    let run = 1;
    while (i + run < statuses.length && statuses[i + run] === statuses[i] && run < MAX_RUN) run++;
    const left = statuses.length - i;
    if (run >= 14 || run === left) {
      chunks.push((statuses[i]! << 13) | run);
      i += run;
      continue;
    }
    const take14 = Math.min(14, left);
    let oneBit = true;
    for (let k = 0; k < take14; k++) if (statuses[i + k] === LARGE) oneBit = false;
    if (oneBit) {
      let chunk = 0x8000;
      for (let k = 0; k < take14; k++) chunk |= statuses[i + k]! << (13 - k);
      chunks.push(chunk);
      i += take14;
    } else if (run >= 7) {
      chunks.push((statuses[i]! << 13) | run);
      i += run;
    } else {
      const take7 = Math.min(7, left);
      let chunk = 0xc000;
      for (let k = 0; k < take7; k++) chunk |= statuses[i + k]! << (12 - 2 * k);
      chunks.push(chunk);
      i += take7;
    }
  }
  return chunks;
}
