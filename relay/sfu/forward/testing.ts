/**
 * Test fixtures for the forwarding core: synthetic RTP packets with a plain 12-byte header (no CSRC, no
 * extension) whose payload bytes identify the packet, and the seeded PRNG shared with crdt/testing so
 * a failing random run reproduces from its seed; assertion helpers for munger decisions.
 */
import * as assert from 'uvu/assert';
import type { DropDecision, ForwardDecision, MungerPacket, PadDecision, SourceId } from './decision.ts';
import { type MungerOptions, SequenceMunger } from './munger.ts';
import { RTP_HEADER_SIZE } from './rtp.ts';

export { mulberry32, randomInt } from '../../../crdt/testing/network.ts';

export type RtpFields = { seq: number; ts: number; ssrc?: number; payloadType?: number; marker?: boolean; payloadLength?: number; fill?: number };

/** An RTP packet: V=2, no padding/extension/CSRC; the payload is `fill` (default: the low seq byte). */
export function rtpPacket(fields: RtpFields): Uint8Array {
  const { seq, ts, ssrc = 0x1234_5678, payloadType = 96, marker = false, payloadLength = 20 } = fields;
  const bytes = new Uint8Array(RTP_HEADER_SIZE + payloadLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x80);
  view.setUint8(1, (marker ? 0x80 : 0) | (payloadType & 0x7f));
  view.setUint16(2, seq & 0xffff);
  view.setUint32(4, ts >>> 0);
  view.setUint32(8, ssrc >>> 0);
  bytes.fill(fields.fill ?? seq & 0xff, RTP_HEADER_SIZE);
  return bytes;
}

/** A munger input with quiet defaults: not a keyframe, no marker, 1000-byte payload. */
export function media(sourceId: SourceId, seq: number, ts: number, extra: Partial<MungerPacket> = {}): MungerPacket {
  return { sourceId, seq: seq & 0xffff, ts: ts >>> 0, marker: false, isKeyframe: false, payloadLength: 1000, ...extra };
}

/** Assertion helpers and a ready munger for the munger's test files. */
export const VIDEO = 90_000;
export const key = { isKeyframe: true };

export function sent(d: ForwardDecision | PadDecision | DropDecision): { seq: number; ts: number } {
  if ('send' in d) return d.send;
  throw new assert.Assertion({ message: `expected send, got ${dropOf(d)}`, generated: false, operator: 'send', expects: 'send', actual: dropOf(d) });
}

export function seqOf(d: ForwardDecision): number {
  return sent(d).seq;
}

/** The drop reason, or a short description of what was decided instead. */
export function dropOf(d: ForwardDecision | PadDecision | DropDecision): string {
  if ('drop' in d) return d.drop;
  return 'send' in d ? `send ${d.send.seq}` : `pad ${d.pad.seq}`;
}

/** A munger already forwarding source 'a' from seq 100, ts 9000 at 0 ms (output = input). */
export function startedMunger(options: Partial<MungerOptions> = {}): SequenceMunger {
  const m = new SequenceMunger({ clockRate: VIDEO, ...options });
  m.switchTo('a');
  sent(m.forward(media('a', 100, 9000, key), 0));
  return m;
}
