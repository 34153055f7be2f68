/**
 * The relay under test in the fan-out benchmark, as its own process (pinned to its own core by the
 * parent). Mode `palabre` runs the relay's RelayRoom (transport + forwarding core), on the send path
 * named by the second argument (`werift` or `direct`; `default` or none: the room's default), and the
 * receive path named by the third (`werift`, or the default `direct`: rtp-intake.ts); mode `naive` is the
 * baseline a first attempt would write with werift: receive each packet, then send a copy on every
 * subscriber's sender (`sendRtp`, what `track.writeRtp` calls). Both answer the same client offers.
 * Talks to the parent over IPC: `{ offer: { session, sdp } }` in, `{ to: session, message }` out.
 */
import { RTCPeerConnection, useOPUS, useVP8 } from 'werift';
import type { RTCRtpTransceiver, RtpPacket } from 'werift';
import type { SendPath } from '../../relay/sfu/transport/relay-peer.ts';
import { RelayRoom } from '../../relay/sfu/transport/relay-room.ts';
import { tuneUdpSockets } from '../../relay/udp-sockets.ts';

// As the relay's server does (relay/udp-sockets.ts), for both relays: the default receive buffer drops bursts.
tuneUdpSockets({ shed: false });

const mode = process.argv[2] === 'naive' ? 'naive' : 'palabre';
const sendPath = process.argv[3] === 'werift' || process.argv[3] === 'direct' ? (process.argv[3] satisfies SendPath) : undefined;
const receivePath = process.argv[4] === 'werift' ? 'werift' : 'direct';
const PEER = { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false };
const send = (to: string, message: unknown) => process.send?.({ to, message });

type NaivePeer = { pc: RTCPeerConnection; slots: RTCRtpTransceiver[] };
const naive = new Map<string, NaivePeer>();
let forwarded = 0;

async function naiveOffer(session: string, sdp: string): Promise<void> {
  const pc = new RTCPeerConnection({ ...PEER, codecs: { audio: [useOPUS()], video: [useVP8()] } });
  const peer: NaivePeer = { pc, slots: [] };
  naive.set(session, peer);
  pc.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp: RtpPacket) => {
      for (const [other, p] of naive) {
        if (other === session) continue;
        for (const slot of p.slots) {
          if (slot.kind !== track.kind) continue;
          slot.sender.sendRtp(rtp.serialize()); // a copy each: werift mutates and keeps what it sends
          forwarded++;
          break;
        }
      }
    });
  });
  await pc.setRemoteDescription({ type: 'offer', sdp });
  for (const t of pc.getTransceivers()) {
    if (t.offerDirection === 'sendonly') t.setDirection('sendonly');
    else if (t.offerDirection === 'recvonly') t.setDirection('recvonly');
  }
  await pc.setLocalDescription(await pc.createAnswer());
  peer.slots = pc.getTransceivers().filter((t) => t.currentDirection === 'sendonly' || t.direction === 'sendonly');
  send(session, { type: 'relay-answer', sdp: pc.localDescription!.sdp });
}

const room = mode === 'palabre' ? new RelayRoom('bench', (to, message) => send(to, message), { peer: { ...PEER, receivePath }, sendPath }) : undefined;

process.on('message', (raw: { offer?: { session: string; sdp: string }; stats?: true; close?: true }) => {
  if (raw.offer) {
    const { session, sdp } = raw.offer;
    if (room) void room.handle(session, { type: 'relay-offer', sdp, epoch: 0 });
    else void naiveOffer(session, sdp);
  }
  if (raw.stats) process.send?.({ stats: { rss: process.memoryUsage().rss, forwarded } });
  if (raw.close) {
    room?.close();
    for (const p of naive.values()) void p.pc.close();
    setTimeout(() => process.exit(0), 200);
  }
});
process.send?.({ ready: mode });
