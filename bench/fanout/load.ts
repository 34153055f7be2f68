/**
 * The fan-out benchmark's load side: one publisher and N subscribers, werift peers that offer like the
 * Palabre client (the publisher a sendonly VP8 camera, each subscriber one recvonly video slot). The
 * publisher sends single-packet VP8 frames of 1,100 bytes (a keyframe every 100) at a set rate; each
 * subscriber counts what arrives, so loss = 1 − received / (sent × N), decrypting and authenticating one
 * packet in 50 (`lighten`), as the issue allows load clients to.
 */
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, useVP8 } from 'werift';
import { tuneUdpSockets } from '../../relay/udp-sockets.ts';
import { isRtpDatagram } from '../../relay/sfu/forward/index.ts';
import { SrtpSampler } from '../srtp-sampler.ts';
import { allowOnlyProfile } from '../../relay/sfu/srtp/profiles.ts';
import type { ProfileName } from '../../relay/sfu/srtp/reference.ts';

// The clients' sockets get the relay's 4 MB receive buffer too: with the 208 KB default, the direct send
// path's bursts (a packet to every subscriber at once) overflowed them from ~20k packets/s, and the
// scenario measured the load generator's kernel drops (Palabre lost 3.8–48 % at 39–76 % relay CPU).
tuneUdpSockets({ shed: false });

const PEER = { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false, bundlePolicy: 'max-bundle' as const, codecs: { video: [useVP8()] } };

export class LoadPeer {
  readonly pc = new RTCPeerConnection(PEER);
  readonly track = new MediaStreamTrack({ kind: 'video' });
  received = 0;
  connected: Promise<void>;
  #seq = 1;
  #ssrc = 0;

  /** `profile`: the only SRTP profile this peer allows (the relay then takes it); none: werift's choice, GCM. */
  constructor(readonly session: string, readonly role: 'publisher' | 'subscriber', readonly profile?: ProfileName) {
    if (role === 'publisher') this.#ssrc = this.pc.addTransceiver(this.track, { direction: 'sendonly' }).sender.ssrc;
    else this.pc.addTransceiver('video', { direction: 'recvonly' });
    this.pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => void this.received++));
    this.connected = new Promise((resolve) => this.pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve()));
  }

  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    allowOnlyProfile(this.pc, this.profile);
    return this.pc.localDescription!.sdp;
  }

  async answer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  /** Sends `count` packets now. */
  burst(count: number, payload: Buffer): void {
    for (let i = 0; i < count; i++) {
      const seq = this.#seq++;
      const key = seq % 100 === 1;
      payload[1] = key ? 0x00 : 0x01;
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: (seq * 3000) >>> 0, ssrc: this.#ssrc, marker: true });
      this.track.writeRtp(new RtpPacket(header, Buffer.from(payload)));
    }
  }

  /** Sampled packets whose SRTP authentication passed, and failed (see `lighten`). */
  verified = 0;
  authFailures = 0;

  /**
   * For a connected subscriber: counts RTP off its plain header instead of letting werift decrypt it,
   * and checks the SRTP authentication of one packet in `verifyEvery` (bench/srtp-sampler.ts); one that
   * fails is not counted (lost) and is tallied in `authFailures`. RTCP, STUN and DTLS still go to werift.
   * Without this the load core, decrypting every delivery for 10 subscribers, saturated at ~40k packets/s
   * before the relays did.
   */
  lighten(verifyEvery = 50): void {
    type Udp = { onData: (data: Buffer, addr: unknown) => void };
    const dtls = this.pc.dtlsTransports[0];
    const pair = (dtls?.iceTransport.connection as unknown as { nominated?: { protocol: { transport?: Udp } } } | undefined)?.nominated;
    const transport = pair?.protocol.transport;
    if (!dtls || !transport || typeof transport.onData !== 'function') throw new Error(`${this.session}: no nominated UDP pair to read from`);
    const sampler = new SrtpSampler(dtls);
    const werift = transport.onData.bind(transport);
    let n = 0;
    transport.onData = (data, addr) => {
      if (!isRtpDatagram(data)) return werift(data, addr);
      sampler.track(data);
      if (++n % verifyEvery !== 0) this.received++;
      else if (sampler.verify(data)) this.received++, this.verified++;
      else this.authFailures++;
    };
  }

  async close(): Promise<void> {
    await this.pc.close();
  }
}

export function vp8Payload(size = 1100): Buffer {
  const p = Buffer.alloc(size, 0xab);
  p[0] = 0x10; // VP8 descriptor: S bit, partition 0
  p.set([0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a], 1); // frame tag + start code (the P bit is set per packet)
  return p;
}
