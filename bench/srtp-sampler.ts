/**
 * SRTP verification of a sample of the packets a load client receives, for benchmarks whose clients
 * count media without decrypting it (the issue allows that, if they check the authentication of a
 * sample). Every packet still goes through `track()`, which keeps werift's per-SSRC rollover counter
 * right: a real receiver sees every packet and counts each sequence-number wrap (RFC 3711 §3.3.1).
 * Without it, a stream that wrapped before its first sampled packet was decrypted with rollover 0 and
 * failed authentication (measured: 2–3 % of samples in long runs): the sampler's error, not the relay's.
 *
 * Packets never go to werift's RTCRtpReceiver: its NACK generator would see the gaps the sampling
 * leaves and ask the relay for every skipped packet.
 */
import type { RTCDtlsTransport } from 'werift';

type RolloverState = { ssrc: number; rolloverCounter: number; lastSequenceNumber: number };
type RolloverContext = { srtpSSRCStates: Record<number, RolloverState>; updateRolloverCount(seq: number, state: RolloverState): number };

/** RTP, not RTCP (RFC 5761 §4: payload types 64–95 with the marker bit read as RTCP packet types 192–223). */
export const isRtp = (data: Buffer): boolean => data[0]! >= 128 && data[0]! < 192 && !(data[1]! >= 192 && data[1]! <= 223);

export class SrtpSampler {
  constructor(readonly dtls: RTCDtlsTransport) {}

  /** Every received RTP packet: advances the rollover state of its SSRC. */
  track(data: Buffer): void {
    const context = (this.dtls.srtp as unknown as { remoteContext?: RolloverContext } | undefined)?.remoteContext;
    if (!context || data.length < 12) return;
    const ssrc = data.readUInt32BE(8);
    const state = (context.srtpSSRCStates[ssrc] ??= { ssrc, rolloverCounter: 0, lastSequenceNumber: 0 });
    context.updateRolloverCount(data.readUInt16BE(2), state);
  }

  /** The plain packet, or undefined when its authentication tag (or its form) fails. */
  verify(data: Buffer): Buffer | undefined {
    try {
      return this.dtls.srtp.decrypt(data);
    } catch {
      return undefined; // werift's SrtpAuthenticationError (a bad tag), or a malformed packet
    }
  }
}
