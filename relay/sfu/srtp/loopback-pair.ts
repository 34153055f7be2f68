/**
 * Test helper: two werift RTCPeerConnections on loopback, `tracks` sendonly video tracks from the first
 * to the second over one bundled transport, and a tap on the sender's wire. The tap sees every SRTP
 * packet as it leaves (after werift sealed it) and may drop it, which is how tests lose packets "in
 * the network".
 *
 * VP8 is negotiated without NACK, so nothing is retransmitted behind a test's back.
 *
 * `profile`: the SRTP profile both sides allow (profiles.ts); werift's own choice is AEAD_AES_128_GCM.
 */
import { MediaStreamTrack, RTCPeerConnection, useVP8 } from 'werift';
import type { RTCRtpSender, RtpPacket } from 'werift';
import { waitUntil } from '../../test/wait.ts';
import { isRtpDatagram } from '../forward/index.ts';
import { allowOnlyProfile as only } from './profiles.ts';
import type { ProfileName } from './reference.ts';

/** Returns true to drop the packet. */
export type Tap = (srtp: Buffer) => boolean;

export type LoopbackPair = {
  tracks: MediaStreamTrack[];
  senders: RTCRtpSender[];
  /** RTP the receiving side decrypted from `sender`, in arrival order. */
  receivedFrom(sender: RTCRtpSender): RtpPacket[];
  tap(tap: Tap): void;
  /** The master key and salt the sender seals with, and the negotiated werift profile number. */
  sendingKeys(): { key: Buffer; salt: Buffer; profile: number };
  close(): Promise<void>;
};

const config = {
  iceServers: [],
  iceAdditionalHostAddresses: ['127.0.0.1'],
  iceUseIpv6: false,
  bundlePolicy: 'max-bundle' as const,
  codecs: { video: [useVP8({ rtcpFeedback: [] })], audio: [] },
};

export async function loopbackPair(tracks = 1, profile?: ProfileName): Promise<LoopbackPair> {
  const sending = new RTCPeerConnection(config);
  const receiving = new RTCPeerConnection(config);
  const local = Array.from({ length: tracks }, () => new MediaStreamTrack({ kind: 'video' }));
  const senders = local.map((track) => sending.addTransceiver(track, { direction: 'sendonly' }).sender);
  const received = new Map<number, RtpPacket[]>();
  receiving.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      const packets = received.get(rtp.header.ssrc) ?? [];
      received.set(rtp.header.ssrc, packets);
      packets.push(rtp);
    });
  });

  await sending.setLocalDescription(await sending.createOffer());
  only(sending, profile);
  await receiving.setRemoteDescription(sending.localDescription!);
  only(receiving, profile);
  await receiving.setLocalDescription(await receiving.createAnswer());
  await sending.setRemoteDescription(receiving.localDescription!);
  await waitUntil(
    () => senders.every((s) => s.dtlsTransport.state === 'connected') && receiving.connectionState === 'connected',
    5000,
    'the loopback pair to connect',
    () => `sending ${sending.connectionState}, receiving ${receiving.connectionState}`,
  );

  const dtls = senders[0]!.dtlsTransport;
  const connection = dtls.iceTransport.connection;
  const send = connection.send;
  let tap: Tap = () => false;
  connection.send = (data: Buffer) => (isRtpDatagram(data) && tap(data) ? Promise.resolve() : send(data));

  return {
    tracks: local,
    senders,
    receivedFrom: (sender) => received.get(sender.ssrc) ?? [],
    tap(next) {
      tap = next;
    },
    sendingKeys() {
      const { keys, profile } = dtls.srtp.config;
      return { key: keys.localMasterKey, salt: keys.localMasterSalt, profile };
    },
    async close() {
      for (const track of local) track.stop();
      await Promise.all([sending.close(), receiving.close()]);
    },
  };
}
