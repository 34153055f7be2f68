/**
 * What a subscriber's browser relies on from the relay's send path, checked on both paths (werift's
 * RTCRtpSender and the direct one): lost video packets come back when NACKed, and sender reports arrive
 * for each slot with timestamps on the slot's own (munged) RTP clock, and video slots carry the relay's
 * abs-send-time. RELAY_SEND_PATH picks one path.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { RtcpSrPacket } from 'werift';
import type { RelayServerMessage } from './protocol.ts';
import type { SendPath } from './relay-peer.ts';
import { RelayRoom } from './relay-room.ts';
import { ABS_SEND_TIME_URI, absSendTimeMs, SeqUnwrapper } from '../forward/index.ts';
import { LOOPBACK_PEER_CONFIG, SEND_PATHS, TestClient } from './test-client.ts';

async function waitFor(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A publisher and a subscriber whose every video slot RTP sequence number and SR is recorded. */
async function scene(sendPath: SendPath, subscriberLoss: number) {
  const clients = new Map<string, TestClient>();
  const room = new RelayRoom('room-send-path', (s: string, m: RelayServerMessage) => void clients.get(s)?.receive(m).catch(() => {}), { peer: LOOPBACK_PEER_CONFIG, sendPath });
  // Both offer abs-send-time on video, as browsers do.
  const publisher = new TestClient('session-pub', 1, undefined, { absSendTime: true });
  const subscriber = new TestClient('session-sub', 2, undefined, { absSendTime: true });
  // werift's debug knob keeps a packet when inboundPacketLoss / 100 ≥ random(): it is the share *kept*.
  if (subscriberLoss > 0) (subscriber.pc.config as { debug: object }).debug = { inboundPacketLoss: 100 - subscriberLoss };
  // Extended (unwrapped) sequence numbers as they arrived; a number below the highest so far is a resend
  // (loopback doesn't reorder).
  const seqs = new Set<number>();
  const resends = { count: 0 };
  const unwrap = new SeqUnwrapper();
  const timestamps: number[] = [];
  const reports: RtcpSrPacket[] = [];
  /** Each video packet's abs-send-time (24 bits, -1: none) and arrival (performance.now()). */
  const sendTimes: Array<{ value: number; at: number }> = [];
  subscriber.pc.onTrack.subscribe((track) => {
    if (track.kind !== 'video') return;
    track.onReceiveRtp.subscribe((rtp) => {
      const id = subscriber.slots.video[0]!.headerExtensions.find((e) => e.uri === ABS_SEND_TIME_URI)?.id;
      const p = rtp.header.extensions.find((e) => e.id === id)?.payload;
      sendTimes.push({ value: p?.length === 3 ? (p[0]! << 16) | (p[1]! << 8) | p[2]! : -1, at: performance.now() });
      const top = unwrap.highest;
      const ext = unwrap.unwrap(rtp.header.sequenceNumber);
      if (ext < top && !seqs.has(ext)) resends.count++;
      seqs.add(ext);
      timestamps.push(rtp.header.timestamp);
    });
  });
  for (const c of [publisher, subscriber]) {
    clients.set(c.sessionId, c);
    c.pc.onIceCandidate.subscribe((x) => {
      if (x) void room.handle(c.sessionId, { type: 'relay-candidate', candidate: { candidate: x.candidate, sdpMid: x.sdpMid ?? null, sdpMLineIndex: x.sdpMLineIndex ?? null } });
    });
    await room.handle(c.sessionId, { type: 'relay-offer', sdp: await c.offer(), epoch: 1 });
  }
  await waitFor('connections', () => [publisher, subscriber].every((c) => c.pc.connectionState === 'connected'));
  subscriber.video.dtlsTransport.onRtcp.subscribe((p) => {
    if (p instanceof RtcpSrPacket) reports.push(p);
  });
  publisher.startPublishing();
  const close = async () => {
    for (const c of clients.values()) await c.close();
    room.close();
  };
  return { room, publisher, subscriber, seqs, resends, timestamps, reports, sendTimes, close };
}

for (const sendPath of SEND_PATHS) {
  test(`[${sendPath}] NACKed video packets are sent again: a subscriber losing 15 % of packets still gets nearly all`, async () => {
    const { subscriber, seqs, resends, close } = await scene(sendPath, 15);
    try {
      await waitFor('video', () => subscriber.from(1, 'video').packets >= 120, 10_000);
      await sleep(300);
      const sorted = [...seqs].sort((a, b) => a - b);
      const span = sorted.at(-1)! - sorted[0]! + 1;
      const got = seqs.size / span;
      console.log(`  [${sendPath}] NACK: ${resends.count} resends arrived; ${seqs.size} of ${span} sequence numbers (${(got * 100).toFixed(1)} %)`);
      // ~20 of ~140 are lost once; a resend is itself lost 15 % of the time.
      assert.ok(resends.count >= 8, `${resends.count} packets came back after a NACK`);
      assert.ok(got > 0.93, `${seqs.size} of ${span} sequence numbers arrived (${(got * 100).toFixed(1)} %); without resends ~85 %`);
    } finally {
      await close();
    }
  });

  test(`[${sendPath}] video slots carry the relay's abs-send-time, as sent; publications are answered without it`, async () => {
    const { publisher, subscriber, sendTimes, close } = await scene(sendPath, 0);
    try {
      await waitFor('video', () => sendTimes.length >= 60, 10_000);
      const uris = (t: { headerExtensions: Array<{ uri: string }> }) => t.headerExtensions.map((e) => e.uri);
      assert.ok(subscriber.slots.video.every((t) => uris(t).includes(ABS_SEND_TIME_URI)), 'negotiated on the video slots');
      assert.not.ok(uris(publisher.video).includes(ABS_SEND_TIME_URI), 'not on the publication: it would let browsers pad');
      assert.ok(sendTimes.every((t) => t.value >= 0), 'on every video packet');
      // Over the run, send times advance as arrivals do (loopback: the same clock rate, little delay).
      const first = sendTimes[0]!;
      const last = sendTimes.at(-1)!;
      const sent = absSendTimeMs((last.value - first.value) & 0xffffff);
      const arrived = last.at - first.at;
      assert.ok(Math.abs(sent - arrived) < 50, `send times span ${sent.toFixed(1)} ms, arrivals ${arrived.toFixed(1)} ms`);
    } finally {
      await close();
    }
  });

  test(`[${sendPath}] each video slot gets sender reports on its own RTP clock`, async () => {
    const { subscriber, timestamps, reports, close } = await scene(sendPath, 0);
    try {
      const ssrc = () => subscriber.slots.video.map((t) => t.receiver.tracks[0]?.ssrc).find((s) => s !== undefined);
      await waitFor('a sender report for the slot', () => reports.some((r) => r.ssrc === ssrc()), 6000);
      const sr = reports.filter((r) => r.ssrc === ssrc()).at(-1)!;
      const last = timestamps.at(-1)!;
      // The SR maps "now" to the slot's clock: within a second (90,000 ticks) of the latest packet's timestamp.
      const distance = Math.abs(((sr.senderInfo.rtpTimestamp - last + 2 ** 31) >>> 0) - 2 ** 31);
      assert.ok(distance < 90_000, `SR rtp ${sr.senderInfo.rtpTimestamp} vs last packet ${last}`);
      assert.ok(sr.senderInfo.packetCount > 0);
      const ntpSeconds = Number(sr.senderInfo.ntpTimestamp >> 32n) - 2_208_988_800;
      assert.ok(Math.abs(ntpSeconds - Date.now() / 1000) < 5, 'NTP time is wallclock');
    } finally {
      await close();
    }
  });
}

test.run();
