/**
 * `node --import tsx bench/fanout/micro.ts [--packets 20000] [--subscribers 10] [--rounds 3] [--only direct|werift|naive|floor|ceiling]` (as root: it
 * re-runs itself in a loopback-only network namespace).
 *
 * The fan-out's relay-side cost per forwarded packet without the load generators: on a busy machine the
 * `fanout` scenario's clients starve and lose packets, which makes its ratios noise. Here, in one
 * process, a publisher and N subscribers connect (real ICE/DTLS-SRTP on loopback) to a relay — Palabre's
 * RelayRoom on the direct or the werift send path, or the naive werift fan-out — then the clients are
 * closed and their ports taken over by a sink process that reads and drops (udp-sink.ts: no CPU of
 * this process goes to receiving, but each send reaches a live socket, as in the `ceiling` scenario;
 * before the sink, sends went to closed ports and paid the kernel's ICMP answer too), and packets are
 * injected where werift would hand them over after decryption (the publication's `onRtp`, or the naive
 * `onReceiveRtp` handler). CPU time (process.cpuUsage) per forwarded packet covers the forwarding
 * decision, the rewrite, SRTP and the UDP send; not the receive side (one decrypt per incoming packet,
 * shared by all N deliveries).
 *
 * `floor`: the direct send path alone on the same kind of connections — per delivery a copy of the
 * packet with the slot's SSRC and payload type, SRTP, the UDP send (RelayPeer.send → DirectSender), no
 * forwarding core — so the report can say how far the whole relay is from what its send path costs, and
 * what the ratio to naive could be at most with forwarding logic that cost nothing.
 *
 * `ceiling`: the `ceiling` scenario's AEAD_AES_128_GCM case (werift's sealer, one send to a sink) in the
 * same rotation, so each figure is also a fraction of what Node can send per core in that run.
 */
import { rerunInLoopbackNamespace } from '../../relay/test/netns.ts';
import { parseArgs } from 'node:util';
import { RTCPeerConnection, RtpHeader, RtpPacket, useOPUS, useVP8 } from 'werift';
import type { RTCRtpTransceiver } from 'werift';
import type { SendPath } from '../../relay/sfu/transport/relay-peer.ts';
import { RelayRoom } from '../../relay/sfu/transport/relay-room.ts';
import { runCeiling } from '../ceiling.ts';
import { median } from '../report.ts';
import { startUdpSink } from '../udp-sink.ts';
import { LoadPeer, vp8Payload } from './load.ts';

const { values } = parseArgs({ options: { packets: { type: 'string', default: '20000' }, subscribers: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' }, only: { type: 'string' } } });
rerunInLoopbackNamespace();

const PEER = { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Relay = { offer(session: string, sdp: string): Promise<string>; inject(packet: Buffer): void; close(): void };

function palabre(sendPath: SendPath, floor = false): Relay {
  let answer: (sdp: string) => void = () => {};
  const room = new RelayRoom('micro', (_s, m) => m.type === 'relay-answer' && answer(m.sdp), { peer: PEER, sendPath });
  const subscribers: string[] = [];
  let slots: Array<{ peer: NonNullable<ReturnType<RelayRoom['peer']>>; mid: string; ssrc: number; pt: number }> | undefined;
  const send = (packet: Buffer) => {
    slots ??= subscribers.flatMap((id) => {
      const peer = room.peer(id)!;
      const info = peer.slotInfo(peer.slotMids().video[0]!)!;
      return [{ peer, mid: info.mid, ssrc: info.ssrc, pt: info.payloadType }];
    });
    for (const s of slots) {
      const copy = Buffer.allocUnsafe(packet.length); // fresh bytes per delivery, as the forwarder makes them
      copy.set(packet);
      copy[1] = (copy[1]! & 0x80) | s.pt;
      copy.writeUInt32BE(s.ssrc, 8);
      s.peer.send(s.mid, copy);
    }
  };
  return {
    offer: (session, sdp) => {
      if (session !== 'publisher') subscribers.push(session);
      return new Promise((resolve) => ((answer = resolve), void room.handle(session, { type: 'relay-offer', sdp, epoch: 0 })));
    },
    inject: (packet) => {
      if (floor) return send(packet);
      const peer = room.peer('publisher')!;
      peer.onRtp(peer.publications()[0]!, packet);
    },
    close: () => room.close(),
  };
}

/** The naive fan-out of relay-proc.ts: a copy per subscriber into its sender's `sendRtp`. */
function naive(): Relay {
  const slots: RTCRtpTransceiver[] = [];
  const pcs: RTCPeerConnection[] = [];
  const fanout = (rtp: RtpPacket) => {
    for (const slot of slots) slot.sender.sendRtp(rtp.serialize());
  };
  return {
    async offer(_session, sdp) {
      const pc = new RTCPeerConnection({ ...PEER, codecs: { audio: [useOPUS()], video: [useVP8()] } });
      pcs.push(pc);
      await pc.setRemoteDescription({ type: 'offer', sdp });
      for (const t of pc.getTransceivers()) t.setDirection(t.offerDirection === 'sendonly' ? 'sendonly' : 'recvonly');
      await pc.setLocalDescription(await pc.createAnswer());
      slots.push(...pc.getTransceivers().filter((t) => t.direction === 'sendonly'));
      return pc.localDescription!.sdp;
    },
    inject: (packet) => fanout(RtpPacket.deSerialize(packet)),
    close: () => pcs.forEach((pc) => void pc.close()),
  };
}

async function measure(relay: Relay, subscribers: number, packets: number): Promise<number> {
  const peers = [new LoadPeer('publisher', 'publisher'), ...Array.from({ length: subscribers }, (_, i) => new LoadPeer(`subscriber-${i}`, 'subscriber'))];
  for (const p of peers) {
    await p.answer(await relay.offer(p.session, await p.offer()));
    await p.connected;
  }
  const payload = vp8Payload();
  const packet = (seq: number) => {
    payload[1] = seq % 100 === 1 ? 0x00 : 0x01;
    return new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: (seq * 3000) >>> 0, ssrc: 1234, marker: true }), payload).serialize();
  };
  for (let seq = 1; seq <= 5; seq++) relay.inject(packet(seq)); // a keyframe: every subscriber's layer goes live
  await sleep(300);
  const ports = peers.map((p) => p.pc.iceTransports[0]?.connection.nominated?.localCandidate.port ?? 0);
  if (ports.includes(0)) throw new Error('a client has no nominated candidate pair');
  for (const p of peers) await p.close();
  await sleep(300);
  const sink = await startUdpSink(ports);
  const start = process.cpuUsage();
  for (let seq = 6; seq < packets + 6; seq++) {
    relay.inject(packet(seq));
    if (seq % 50 === 0) await new Promise((r) => setImmediate(r)); // let the sends (promises, nextTicks) complete
  }
  await sleep(50);
  const used = process.cpuUsage(start);
  relay.close();
  sink.stop();
  return (used.user + used.system) / (packets * subscribers);
}

/** The `ceiling` scenario's GCM case (werift's sealer, one send to a sink), µs per packet. */
async function ceiling(): Promise<number> {
  const [r] = await runCeiling(1, undefined, (c) => c.profile === 'AEAD_AES_128_GCM' && c.sealer === 'werift' && c.withSend);
  return r!.nsPerPacket / 1000;
}

const subscribers = Number(values.subscribers);
const results: Record<string, number[]> = { direct: [], werift: [], naive: [], floor: [], ceiling: [] };
for (let round = 0; round < Number(values.rounds); round++) {
  for (const label of values.only ? [values.only] : round % 2 ? ['naive', 'ceiling', 'floor', 'werift', 'direct'] : ['direct', 'werift', 'floor', 'ceiling', 'naive']) {
    if (label === 'ceiling') {
      const us = await ceiling();
      results.ceiling!.push(us);
      console.log(`round ${round + 1} ceiling: ${us.toFixed(2)} µs CPU per SRTP seal + UDP send (${Math.round(1e6 / us)} packets/s per core)`);
      continue;
    }
    const relay = label === 'naive' ? naive() : label === 'floor' ? palabre('direct', true) : palabre(label as SendPath);
    const us = await measure(relay, subscribers, Number(values.packets));
    results[label]!.push(us);
    console.log(`round ${round + 1} ${label}: ${us.toFixed(2)} µs CPU per forwarded packet (${Math.round(1e6 / us)} forwarded/s per core)`);
    await sleep(500);
  }
}
if (values.only) process.exit(0);
const [d, w, n, f, c] = ['direct', 'werift', 'naive', 'floor', 'ceiling'].map((k) => median(results[k]!));
console.log(`median µs/forwarded: direct ${d!.toFixed(2)}, werift ${w!.toFixed(2)}, naive ${n!.toFixed(2)}; send path alone (floor) ${f!.toFixed(2)}`);
console.log(`per-core throughput ratios: direct/naive ${(n! / d!).toFixed(2)}, werift/naive ${(n! / w!).toFixed(2)}, direct/werift ${(w! / d!).toFixed(2)}`);
console.log(`against Node's ceiling (${c!.toFixed(2)} µs per seal + send): direct ${((c! / d!) * 100).toFixed(0)} %, naive ${((c! / n!) * 100).toFixed(0)} %, floor ${((c! / f!) * 100).toFixed(0)} %`);
console.log(`the forwarding core's share of direct: ${(((d! - f!) / d!) * 100).toFixed(0)} %; naive ÷ floor (the ratio with a forwarding core that cost nothing): ${(n! / f!).toFixed(2)}`);
process.exit(0);
