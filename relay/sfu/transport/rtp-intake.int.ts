/**
 * The relay's own receive path (rtp-intake.ts) through the real relay (RelayRoom, RelayPeer, werift
 * ICE/DTLS-SRTP on loopback), seen from a werift publisher whose wire has a tap: packets the tap drops
 * are lost "in the network", and packets it adds arrive as a forger's would.
 *
 * - Lost video packets are asked for again (generic NACK), once per 100 ms, and werift's sender answers
 *   from its history; the retransmissions reach the room, so the room saw every packet.
 * - The publisher gets receiver reports about its streams from the relay alone: the highest number it
 *   sent, what was lost and not recovered, LSR/DLSR about its sender reports.
 * - A forged packet of a claimed stream is dropped and counted; the stream goes on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GenericNack, RtcpRrPacket, RtcpSrPacket } from 'werift';
import type { RtcpPacket } from 'werift';
import { isRtpDatagram, readRtpSeq, readRtpSsrc } from '../forward/index.ts';
import { sleep, waitUntil } from '../../test/wait.ts';
import type { RelayRoom } from './relay-room.ts';
import type { TestClient } from './test-client.ts';
import { TestRoom } from './test-room.ts';

const [P, V] = ['session-pub', 'session-view'] as const;

type Setup = { room: RelayRoom; publisher: TestClient; close: () => Promise<void> };

/** A publisher and a viewer on the relay, connected. */
async function connectedRoom(name: string): Promise<Setup> {
  const t = new TestRoom(name);
  const publisher = await t.join({ id: P, tag: 1, slots: { audio: 1, video: 1 }, media: { videoBytes: 600 } });
  await t.join({ id: V, tag: 2, slots: { audio: 1, video: 1 } });
  await t.connected();
  return { room: t.room, publisher, close: () => t.close() };
}

/** Wraps the publisher's ICE send: `tap` sees each outgoing RTP datagram (SRTP) and says what goes out. */
function tapPublisher(publisher: TestClient, tap: (srtp: Buffer) => Buffer[] | Promise<Buffer[]>): void {
  const connection = publisher.pc.dtlsTransports[0]!.iceTransport.connection;
  const send = connection.send.bind(connection);
  connection.send = async (data: Buffer) => {
    if (!isRtpDatagram(data)) return send(data);
    for (const out of await tap(data)) await send(out);
  };
}

/** The video sequence numbers the relay delivered to the room for the publisher, in order. */
function recordDelivered(room: RelayRoom): number[] {
  const peer = room.peer(P)!;
  const delivered: number[] = [];
  const onRtp = peer.onRtp;
  peer.onRtp = (pub, bytes) => {
    if (pub.kind === 'video') delivered.push(readRtpSeq(bytes));
    onRtp(pub, bytes);
  };
  return delivered;
}

test('lost video packets are asked for again, once each, and their retransmissions reach the room', async () => {
  const { room, publisher, close } = await connectedRoom('room-intake-nack');
  try {
    const videoSsrc = publisher.video.sender.ssrc;
    const delivered = recordDelivered(room);
    const nacked: number[][] = [];
    publisher.pc.dtlsTransports[0]!.onRtcp.subscribe((p: RtcpPacket) => {
      const fb = (p as { feedback?: unknown }).feedback;
      if (p.type === 205 && fb instanceof GenericNack && fb.mediaSourceSsrc === videoSsrc) nacked.push(fb.lost.map((s) => s & 0xffff));
    });
    // Packets 30, 31 and 60 of the camera are lost the first time they are sent; a retransmission (the
    // same number again) goes through 60 ms later, as over a link with a 60 ms round trip.
    let video = 0;
    const dropped = new Set<number>();
    const seen = new Set<number>();
    tapPublisher(publisher, async (srtp) => {
      if (readRtpSsrc(srtp) !== videoSsrc) return [srtp];
      const seq = readRtpSeq(srtp);
      if (seen.has(seq)) return sleep(60).then(() => [srtp]);
      seen.add(seq);
      video++;
      if (video === 30 || video === 31 || video === 60) {
        dropped.add(seq);
        return [];
      }
      return [srtp];
    });
    publisher.startPublishing();
    await waitUntil(() => video >= 80, 10_000, '80 video packets');
    publisher.stopPublishing();
    await sleep(300);

    assert.is(dropped.size, 3);
    const requests = nacked.flat();
    for (const seq of dropped) {
      const times = requests.filter((s) => s === seq).length;
      assert.ok(times >= 1 && times <= 2, `seq ${seq} asked for ${times} times (werift's receiver asks every 5 ms)`);
      assert.ok(delivered.includes(seq), `the retransmission of ${seq} reached the room`);
    }
    assert.equal(requests.filter((s) => !dropped.has(s)), [], 'nothing that arrived is asked for');
    const sent = [...seen];
    assert.equal([...new Set(delivered)].sort((a, b) => a - b), sent.sort((a, b) => a - b), 'the room saw every packet sent');
    const counters = room.peer(P)!.intakeCounters();
    assert.ok(counters.taken >= delivered.length - 5, `the intake took the stream: ${counters.taken} of ${delivered.length}`);
  } finally {
    await close();
  }
});

test('receiver reports come from the relay alone: highest number, losses not recovered, LSR/DLSR', async () => {
  const { room, publisher, close } = await connectedRoom('room-intake-rr');
  try {
    const videoSsrc = publisher.video.sender.ssrc;
    recordDelivered(room);
    const blocks: Array<{ highestSequence: number; packetsLost: number; lsr: number; dlsr: number; lastSent: number }> = [];
    let lastSent = -1;
    let srSent = 0;
    publisher.pc.dtlsTransports[0]!.onRtcp.subscribe((p: RtcpPacket) => {
      if (!(p instanceof RtcpRrPacket) && !(p instanceof RtcpSrPacket)) return;
      for (const r of p.reports) if (r.ssrc === videoSsrc) blocks.push({ ...r, lastSent });
    });
    const sendRtcp = publisher.pc.dtlsTransports[0]!.sendRtcp.bind(publisher.pc.dtlsTransports[0]!);
    publisher.pc.dtlsTransports[0]!.sendRtcp = (packets: RtcpPacket[]) => {
      srSent += packets.filter((x) => x instanceof RtcpSrPacket).length;
      return sendRtcp(packets);
    };
    // Every 25th camera packet is lost for good: this publisher's werift sender can't retransmit
    // packets the tap dropped on every try.
    let video = 0;
    const lost = new Set<number>();
    tapPublisher(publisher, (srtp) => {
      if (readRtpSsrc(srtp) !== videoSsrc) return [srtp];
      const seq = readRtpSeq(srtp);
      if (!lost.has(seq) && ++video % 25 !== 0) {
        lastSent = seq;
        return [srtp];
      }
      lost.add(seq);
      return [];
    });
    publisher.startPublishing();
    await waitUntil(() => blocks.length >= 3 && srSent >= 2, 15_000, 'three receiver reports after two sender reports');
    await sleep(1500);
    publisher.stopPublishing();

    const last = blocks.at(-1)!;
    assert.ok(((last.lastSent - last.highestSequence) & 0xffff) <= 2, `highest ${last.highestSequence & 0xffff}, last sent ${last.lastSent}`);
    const lostBefore = [...lost].filter((s) => ((last.highestSequence - s) & 0xffff) < 0x8000).length;
    assert.is(last.packetsLost, lostBefore, 'cumulative lost is what never arrived');
    const highest = blocks.map((b) => b.highestSequence);
    assert.equal(highest, [...highest].sort((a, b) => a - b), 'one reporter: the highest number never goes back (a stale second report would)');
    const withSr = blocks.filter((b) => b.lsr !== 0);
    assert.ok(withSr.length > 0, 'LSR set once sender reports arrived');
    assert.ok(withSr.every((b) => b.dlsr < 2 * 65_536), 'DLSR under 2 s (reports every 1 s ± 50 %)');
  } finally {
    await close();
  }
});

test('a forged packet of a claimed stream is dropped and counted, and the stream goes on', async () => {
  const { room, publisher, close } = await connectedRoom('room-intake-forged');
  try {
    const videoSsrc = publisher.video.sender.ssrc;
    const delivered = recordDelivered(room);
    let video = 0;
    tapPublisher(publisher, (srtp) => {
      if (readRtpSsrc(srtp) !== videoSsrc || ++video % 10 !== 0) return [srtp];
      const forged = Buffer.from(srtp);
      forged[forged.length - 20]! ^= 0x01; // one bit of the encrypted payload
      return [forged, srtp];
    });
    publisher.startPublishing();
    await waitUntil(() => video >= 60, 10_000, '60 video packets');
    publisher.stopPublishing();
    await sleep(200);
    const { authFailures, taken } = room.peer(P)!.intakeCounters();
    assert.ok(authFailures >= 5 && authFailures <= 6, `forged packets dropped: ${authFailures}`);
    assert.is(new Set(delivered).size, delivered.length, 'no packet delivered twice');
    assert.ok(delivered.length >= 59, `the stream went on: ${delivered.length} delivered`);
    assert.ok(taken > 0);
  } finally {
    await close();
  }
});

test.run();
