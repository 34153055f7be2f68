/**
 * The few fixed RTP header fields (RFC 3550 §5.1) the forwarding core reads or rewrites. The fixed
 * header is 12 bytes: V/P/X/CC, M/PT, sequence number (bytes 2–3), timestamp (4–7), SSRC (8–11), all
 * big-endian; CSRCs and extensions follow and are left alone here.
 */

export const RTP_HEADER_SIZE = 12;

/** The padding bit: the last payload byte counts padding bytes to ignore. */
export function hasRtpPadding(bytes: Uint8Array): boolean {
  return ((bytes[0] ?? 0) & 0x20) !== 0;
}

/** The RTP header length (fixed part, CSRCs, extension block), or -1 if the packet is too short for it. */
export function rtpHeaderLength(rtp: Uint8Array): number {
  if (rtp.length < RTP_HEADER_SIZE) return -1;
  let length = RTP_HEADER_SIZE + 4 * (rtp[0]! & 0x0f);
  if (rtp[0]! & 0x10) {
    if (length + 4 > rtp.length) return -1;
    length += 4 + 4 * ((rtp[length + 2]! << 8) | rtp[length + 3]!);
  }
  return length <= rtp.length ? length : -1;
}

/**
 * A packet of padding only (a browser's bandwidth probe, RFC 3550 §5.1 P bit): the padding count in its
 * last byte reaches back over the whole payload. False for anything too short to tell.
 */
export function isPaddingOnly(bytes: Uint8Array): boolean {
  if (!hasRtpPadding(bytes)) return false;
  const header = rtpHeaderLength(bytes);
  return header >= 0 && header < bytes.length && header + bytes[bytes.length - 1]! >= bytes.length;
}

export function isRtp(bytes: Uint8Array): boolean {
  return bytes.byteLength >= RTP_HEADER_SIZE && (bytes[0] ?? 0) >> 6 === 2;
}

/**
 * An RTP datagram, not RTCP, DTLS or STUN, off a socket that carries them all (RFC 5761 §4, RFC 7983):
 * version 2 and a payload type outside 64–95, where RTCP packet types 192–223 fall.
 */
export function isRtpDatagram(bytes: Uint8Array): boolean {
  const pt = (bytes[1] ?? 0) & 0x7f;
  return isRtp(bytes) && !(pt >= 64 && pt <= 95);
}

export function readRtpSeq(bytes: Uint8Array): number {
  return ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
}

export function readRtpTimestamp(bytes: Uint8Array): number {
  return (((bytes[4] ?? 0) << 24) | ((bytes[5] ?? 0) << 16) | ((bytes[6] ?? 0) << 8) | (bytes[7] ?? 0)) >>> 0;
}

export function readRtpSsrc(bytes: Uint8Array): number {
  return (((bytes[8] ?? 0) << 24) | ((bytes[9] ?? 0) << 16) | ((bytes[10] ?? 0) << 8) | (bytes[11] ?? 0)) >>> 0;
}

/** Rewrites sequence number and timestamp in place; the caller owns `bytes` (never a shared buffer). */
export function writeRtpSeqTs(bytes: Uint8Array, seq: number, ts: number): void {
  bytes[2] = (seq >>> 8) & 0xff;
  bytes[3] = seq & 0xff;
  bytes[4] = (ts >>> 24) & 0xff;
  bytes[5] = (ts >>> 16) & 0xff;
  bytes[6] = (ts >>> 8) & 0xff;
  bytes[7] = ts & 0xff;
}

/**
 * A padding-only packet (P bit, no payload, RFC 3550 §5.1) for `seq`/`ts` in the stream of `like`:
 * same payload type and SSRC, no CSRC or extension. Receivers count it as received (it closes a
 * NACK entry) and never hand it to the decoder.
 */
export function paddingPacketLike(like: Uint8Array, seq: number, ts: number): Uint8Array {
  const packet = new Uint8Array(RTP_HEADER_SIZE + PADDING_SIZE);
  packet[0] = 0xa0;
  packet[1] = (like[1] ?? 0) & 0x7f;
  packet.set(like.subarray(8, 12), 8);
  writeRtpSeqTs(packet, seq, ts);
  packet[packet.length - 1] = PADDING_SIZE;
  return packet;
}

const PADDING_SIZE = 4;
