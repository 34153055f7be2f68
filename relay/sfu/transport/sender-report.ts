/**
 * RTCP sender reports (RFC 3550 §6.4.1) for slots sent on the direct path.
 *
 * An SR ties the stream's RTP clock to wallclock (NTP) time so the receiver can sync audio with video
 * and measure the round trip; it also carries the packet and payload octet counts. werift's
 * RTCRtpSender makes SRs only from what passes through its `sendRtp`, which the direct path bypasses,
 * so each slot counts what it sent here and the peer reports it about once a second.
 *
 * The timestamps are the slot's (munged) output timestamps: the SR extrapolates the last one sent to
 * the report's wallclock at the slot's clock rate, as libwebrtc does, so the mapping holds across
 * source switches without reading the publishers' own SRs. The wallclock is the relay's send time,
 * as werift's reports use; network jitter before the relay shows up as jitter of the mapping.
 * Pure: time is a parameter.
 */

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;

export class SlotSendStats {
  packets = 0;
  /** Payload octets (RFC 3550: headers and padding excluded). */
  octets = 0;
  lastTs = 0;
  /** Unix ms of the last send, or -1 before the first. */
  lastAtMs = -1;

  constructor(readonly ssrc: number, readonly clockRate: number) {}

  sent(ts: number, payloadOctets: number, atMs: number): void {
    this.packets = (this.packets + 1) >>> 0;
    this.octets = (this.octets + payloadOctets) >>> 0;
    this.lastTs = ts;
    this.lastAtMs = atMs;
  }
}

export type SenderInfo = { ntpTimestamp: bigint; rtpTimestamp: number; packetCount: number; octetCount: number };

/** 64-bit NTP timestamp (32.32 fixed point, seconds since 1900) of a Unix time in ms. */
export function ntpFromUnixMs(ms: number): bigint {
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - seconds * 1000) / 1000) * 2 ** 32);
  return (BigInt(seconds + NTP_UNIX_OFFSET) << 32n) | BigInt(fraction >>> 0);
}

/** The sender info of a report made at `nowMs`, or undefined before the slot sent anything. */
export function senderInfo(stats: SlotSendStats, nowMs: number): SenderInfo | undefined {
  if (stats.lastAtMs < 0) return undefined;
  const elapsed = Math.max(0, nowMs - stats.lastAtMs);
  const rtpTimestamp = (stats.lastTs + Math.round((elapsed * stats.clockRate) / 1000)) >>> 0;
  return { ntpTimestamp: ntpFromUnixMs(nowMs), rtpTimestamp, packetCount: stats.packets, octetCount: stats.octets };
}
