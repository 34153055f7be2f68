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
import type { SrtpContext } from '../relay/sfu/transport/srtp-sealer.ts';

export class SrtpSampler {
  constructor(readonly dtls: RTCDtlsTransport) {}

  /** Every received RTP packet: advances the rollover state of its SSRC. */
  track(data: Buffer): void {
    const context = (this.dtls.srtp as { remoteContext?: SrtpContext } | undefined)?.remoteContext;
    if (!context || data.length < 12) return;
    context.updateRolloverCount(data.readUInt16BE(2), context.getSrtpSsrcState(data.readUInt32BE(8)));
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
