/**
 * The abs-send-time RTP header extension (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time,
 * from Google's REMB-era congestion control): 3 bytes, the time the packet left its sender in seconds,
 * as 6.18 fixed point (6 bits of seconds, 18 of fraction: ~3.8 µs steps), so it wraps every 64 s.
 * Only differences between packets mean anything: the clock's origin is the sender's choice.
 *
 * Why the relay writes it: a browser that receives video without transport-wide-cc estimates its
 * downlink itself and says so in REMB. With send times it runs the abs-send-time estimator (Chromium's
 * RemoteBitrateEstimatorAbsSendTime: one inter-arrival filter over all streams, sender's probes
 * detected); without, it falls back to a per-stream estimator fed with RTP timestamps, which are
 * capture times. A relay forwards frames with its own jitter after the publisher's, so capture times
 * make the path look congested and that REMB runs below what is received (measured here:
 * 70–100 kb/s while receiving 120–160 kb/s).
 *
 * The relay stamps each packet as it leaves (the send adapter reads the clock); `rewriteForSlot`
 * makes room for the element, first in the extension block, so the stamp finds it at once.
 */
import { RtpHeader } from '../select/rtp-header.ts';

export const ABS_SEND_TIME_URI = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';

/** The element's data length, bytes. */
export const ABS_SEND_TIME_LENGTH = 3;

const UNITS_PER_SECOND = 1 << 18;
/** The stamp's view of the packet it stamps (finds the element the way the rest of the relay does). */
const header = new RtpHeader();

/**
 * A time in ms (any origin) as the extension's 24-bit 6.18 fixed-point seconds, modulo 64 s. Per
 * packet, so no `%` (a C call for doubles in V8): × 2^18 is exact, and `& 0xffffff` wraps, negatives
 * too. Past 2^35 ms (a Date.now()) the quotient may round up by one unit (3.8 µs) near a boundary.
 */
export function absSendTime(ms: number): number {
  return Math.floor((ms * UNITS_PER_SECOND) / 1000) & 0xffffff;
}

/** The 24-bit value back as ms within the 64 s period (for tests and logs). */
export function absSendTimeMs(value: number): number {
  return ((value & 0xffffff) * 1000) / UNITS_PER_SECOND;
}

/** Writes the 24-bit `value` big-endian at `at`. */
export function writeAbsSendTime(packet: Uint8Array, at: number, value: number): void {
  packet[at] = (value >>> 16) & 0xff;
  packet[at + 1] = (value >>> 8) & 0xff;
  packet[at + 2] = value & 0xff;
}

/**
 * Stamps `value` into the packet's abs-send-time element `id` (RFC 8285 one- or two-byte block), in
 * place. False, leaving the packet alone, when it has no such element of 3 bytes or is malformed.
 * The element is usually the first (rewriteForSlot puts it there): one look, no allocation (the
 * header view is reused).
 */
export function stampAbsSendTime(packet: Uint8Array, id: number, value: number): boolean {
  const at = header.wrap(packet)?.findExtension(id) ?? -1;
  if (at < 0 || header.foundLength !== ABS_SEND_TIME_LENGTH) return false;
  writeAbsSendTime(packet, at, value);
  return true;
}
