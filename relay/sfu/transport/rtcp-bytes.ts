/**
 * RTCP the relay built as bytes (transport-wide feedback, receiver reports, NACKs) out through werift:
 * its `sendRtcp` concatenates what each packet serialises to and protects the whole as one SRTCP
 * packet, so wrapping the bytes in `serialize()` is all it needs.
 */
import type { RTCDtlsTransport, RtcpPacket } from 'werift';

const noop = () => {};

/** Sends `packets` (whole RTCP packets) as one compound SRTCP packet; nothing when there are none. */
export function sendRtcpBytes(transport: RTCDtlsTransport, packets: readonly Uint8Array[]): void {
  if (packets.length === 0) return;
  const raw = packets.map((bytes) => ({ serialize: () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  transport.sendRtcp(raw as unknown as RtcpPacket[]).catch(noop);
}
