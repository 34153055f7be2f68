/**
 * The decrypted bytes behind a werift RtpPacket, without serialising it again.
 *
 * werift's DTLS transport decrypts each SRTP packet into one buffer and parses it with
 * `RtpPacket.deSerialize`, whose payload is a view of that buffer (`subarray(payloadOffset, end −
 * padding)`). So the packet as it arrived is the payload's underlying bytes from `payloadOffset` before
 * it, through the padding after it. That layout is werift's, not a promise: the view is trusted only if
 * its bytes still say what the parsed header says (version, sequence number, SSRC, payload type, header
 * length); otherwise (e.g. an RTX-unwrapped packet, built anew) the caller serialises as before.
 *
 * The view aliases werift's decrypt buffer: read it, copy it, never keep it or hand it to werift.
 */
import type { RtpPacket } from 'werift';
import { rtpHeaderLength } from '../forward/index.ts';

export function rawRtpBytes(rtp: RtpPacket): Uint8Array | undefined {
  const { header, payload } = rtp;
  const start = payload.byteOffset - header.payloadOffset;
  const length = header.payloadOffset + payload.length + (header.padding ? header.paddingSize : 0);
  if (start < 0 || start + length > payload.buffer.byteLength) return undefined;
  const bytes = new Uint8Array(payload.buffer, start, length);
  if (bytes[0]! >> 6 !== 2 || (bytes[1]! & 0x7f) !== header.payloadType) return undefined;
  if (((bytes[2]! << 8) | bytes[3]!) !== header.sequenceNumber) return undefined;
  if ((((bytes[8]! << 24) | (bytes[9]! << 16) | (bytes[10]! << 8) | bytes[11]!) >>> 0) !== header.ssrc >>> 0) return undefined;
  return rtpHeaderLength(bytes) === header.payloadOffset ? bytes : undefined;
}
