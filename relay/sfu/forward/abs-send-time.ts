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

export const ABS_SEND_TIME_URI = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';

/** The element's data length, bytes. */
export const ABS_SEND_TIME_LENGTH = 3;

const UNITS_PER_SECOND = 1 << 18;

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
 * The element is usually the first (rewriteForSlot puts it there): one look, no allocation.
 */
export function stampAbsSendTime(packet: Uint8Array, id: number, value: number): boolean {
  const length = packet.length;
  if (length < 12 || (packet[0]! & 0x10) === 0) return false;
  const block = 12 + 4 * (packet[0]! & 0x0f);
  if (block + 4 > length) return false;
  const profile = (packet[block]! << 8) | packet[block + 1]!;
  const end = block + 4 + 4 * ((packet[block + 2]! << 8) | packet[block + 3]!);
  if (end > length) return false;
  let i = block + 4;
  if (profile === 0xbede) {
    while (i < end) {
      const b = packet[i]!;
      if (b === 0) {
        i++;
        continue;
      }
      const elementId = b >> 4;
      if (elementId === 15) return false;
      const len = (b & 0x0f) + 1;
      if (i + 1 + len > end) return false;
      if (elementId === id) {
        if (len !== ABS_SEND_TIME_LENGTH) return false;
        writeAbsSendTime(packet, i + 1, value);
        return true;
      }
      i += 1 + len;
    }
  } else if ((profile & 0xfff0) === 0x1000) {
    while (i < end) {
      const elementId = packet[i]!;
      if (elementId === 0) {
        i++;
        continue;
      }
      if (i + 2 > end) return false;
      const len = packet[i + 1]!;
      if (i + 2 + len > end) return false;
      if (elementId === id) {
        if (len !== ABS_SEND_TIME_LENGTH) return false;
        writeAbsSendTime(packet, i + 2, value);
        return true;
      }
      i += 2 + len;
    }
  }
  return false;
}
