/**
 * The RTCP the relay sends as a receiver, as bytes: receiver reports (RFC 3550 §6.4.2) and generic
 * NACKs (RFC 4585 §6.2.1). Both start with the common header: version 2, no padding, a 5-bit count
 * (report blocks, or the feedback format: 1 for generic NACK), the packet type, and the length in
 * 32-bit words less one. A receiver report holds at most 31 blocks; more go into further reports of
 * the same compound packet.
 */
import { buildNackFci } from '../forward/nack.ts';
import type { ReportBlock } from './stream-stats.ts';

const RR = 201;
const RTPFB = 205;
const GENERIC_NACK = 1;
const MAX_BLOCKS = 31;

function header(view: DataView, count: number, type: number, bytes: number): void {
  view.setUint8(0, 0x80 | count);
  view.setUint8(1, type);
  view.setUint16(2, bytes / 4 - 1);
}

/** One or more receiver reports from `senderSsrc` carrying `blocks` (none: one empty report). */
export function receiverReports(senderSsrc: number, blocks: readonly ReportBlock[]): Uint8Array {
  const packets = Math.max(1, Math.ceil(blocks.length / MAX_BLOCKS));
  const out = new Uint8Array(8 * packets + 24 * blocks.length);
  const view = new DataView(out.buffer);
  let at = 0;
  for (let p = 0; p < packets; p++) {
    const chunk = blocks.slice(p * MAX_BLOCKS, (p + 1) * MAX_BLOCKS);
    const bytes = 8 + 24 * chunk.length;
    header(new DataView(out.buffer, at, bytes), chunk.length, RR, bytes);
    view.setUint32(at + 4, senderSsrc >>> 0);
    at += 8;
    for (const b of chunk) {
      view.setUint32(at, b.ssrc >>> 0);
      view.setUint32(at + 4, (((b.fractionLost & 0xff) << 24) | (b.packetsLost & 0xff_ffff)) >>> 0);
      view.setUint32(at + 8, b.highestSequence >>> 0);
      view.setUint32(at + 12, b.jitter >>> 0);
      view.setUint32(at + 16, b.lsr >>> 0);
      view.setUint32(at + 20, b.dlsr >>> 0);
      at += 24;
    }
  }
  return out;
}

/** A generic NACK from `senderSsrc` asking `mediaSsrc`'s sender for the 16-bit `seqs` (at least one). */
export function genericNack(senderSsrc: number, mediaSsrc: number, seqs: readonly number[]): Uint8Array {
  const fci = buildNackFci(seqs);
  const out = new Uint8Array(12 + fci.length);
  const view = new DataView(out.buffer);
  header(view, GENERIC_NACK, RTPFB, out.length);
  view.setUint32(4, senderSsrc >>> 0);
  view.setUint32(8, mediaSsrc >>> 0);
  out.set(fci, 12);
  return out;
}
