/**
 * Transport-wide CC feedback through the real relay (RelayRoom, RelayPeer, werift ICE/DTLS-SRTP on
 * loopback): a publisher that numbers its packets, as browsers do (werift's sender writes the
 * transport-wide sequence number when the extension is negotiated), gets feedback about them: in the
 * answer, `transport-cc` on what it publishes and not on what it receives; on the wire,
 * a report about every 100 ms that acknowledges what it sent with arrival times on the relay's clock
 * (the same process's performance.now, so they can be checked against the test's own clock).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransportWideCC } from 'werift';
import type { RtcpPacket } from 'werift';
import { RelayRoom } from './relay-room.ts';
import { LOOPBACK_PEER_CONFIG, TestClient } from './test-client.ts';
import { TRANSPORT_CC_URI } from './transport-cc.ts';

const [P, V] = ['session-pub', 'session-view'] as const;

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('a publisher that numbers its packets gets transport-wide feedback about every one of them', async () => {
  const clients = new Map<string, TestClient>();
  const answers = new Map<string, string>();
  const room = new RelayRoom('room-twcc', (sessionId, message) => {
    if (message.type === 'relay-answer') answers.set(sessionId, message.sdp);
    void clients.get(sessionId)?.receive(message).catch((e) => console.error('client receive failed', e));
  }, { peer: LOOPBACK_PEER_CONFIG });
  room.on('session-error', (s, e) => console.error('session error', s, e));
  const publisher = new TestClient(P, 1, { audio: 1, video: 1 }, { videoBytes: 1000, transportCc: true });
  const viewer = new TestClient(V, 2, { audio: 1, video: 1 });
  clients.set(P, publisher).set(V, viewer);
  try {
    for (const [id, client] of clients) {
      client.pc.onIceCandidate.subscribe((c) => {
        if (c) void room.handle(id, { type: 'relay-candidate', candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } });
      });
      await room.handle(id, { type: 'relay-offer', sdp: await client.offer(), epoch: 1 });
    }
    await waitFor('2 connections', () => [publisher, viewer].every((c) => c.pc.connectionState === 'connected'));

    // The answer: feedback on what the publisher sends (recvonly here), none on its receive slots.
    const sections = answers.get(P)!.split(/(?=^m=)/m).filter((s) => s.startsWith('m='));
    const publications = sections.filter((s) => /^a=recvonly/m.test(s));
    const slots = sections.filter((s) => /^a=sendonly/m.test(s));
    assert.is(publications.length, 2);
    for (const s of publications) {
      assert.ok(s.includes(TRANSPORT_CC_URI), 'the extension is accepted on a publication');
      for (const [, pt] of s.matchAll(/^a=rtpmap:(\d+) /gm)) assert.match(s, new RegExp(`^a=rtcp-fb:${pt} transport-cc`, 'm'));
    }
    assert.ok(slots.length >= 2 && slots.every((s) => !s.includes('transport-cc')), 'no feedback asked on receive slots');

    const transport = publisher.pc.dtlsTransports[0]!;
    const reports: Array<{ at: number; fb: TransportWideCC }> = [];
    transport.onRtcp.subscribe((packet: RtcpPacket) => {
      const fb = (packet as { feedback?: unknown }).feedback;
      if (packet.type === 205 && fb instanceof TransportWideCC) reports.push({ at: performance.now(), fb });
    });
    const firstSeq = (transport as unknown as { transportSequenceNumber: number }).transportSequenceNumber;
    const start = performance.now();
    publisher.startPublishing();
    await sleep(2_000);
    const end = performance.now();
    const lastSeq = (transport as unknown as { transportSequenceNumber: number }).transportSequenceNumber;
    await sleep(300); // the report of the last ones

    assert.ok(reports.length >= 12 && reports.length <= 30, `a report about every 100 ms: ${reports.length} in 2.3 s`);
    const gaps = reports.slice(1).map((r, i) => r.at - reports[i]!.at);
    assert.ok(Math.max(...gaps) < 400, `longest gap between reports ${Math.max(...gaps).toFixed(0)} ms`);

    // Every number sent is acknowledged once, with an arrival time within the run on this process's clock.
    const acked = new Map<number, number>();
    for (const { fb } of reports) {
      let at = fb.referenceTime * 64; // ms
      let d = 0;
      const statuses: number[] = [];
      for (const c of fb.packetChunks) {
        if ('runLength' in c) for (let i = 0; i < c.runLength; i++) statuses.push(c.packetStatus);
        else statuses.push(...c.symbolList);
      }
      for (let i = 0; i < fb.packetStatusCount; i++) {
        if (statuses[i] === 0) continue;
        at += fb.recvDeltas[d++]!.delta / 1000;
        const seq = (fb.baseSequenceNumber + i) & 0xffff;
        assert.not.ok(acked.has(seq), `sequence ${seq} acknowledged twice`);
        acked.set(seq, at);
      }
    }
    const sent = (lastSeq - firstSeq) & 0xffff;
    let missing = 0;
    for (let k = 1; k <= sent; k++) if (!acked.has((firstSeq + k) & 0xffff)) missing++;
    console.log(`  ${sent} packets numbered, ${sent - missing} acknowledged in ${reports.length} reports`);
    assert.ok(sent > 100, `the publisher numbered its packets: ${sent}`);
    assert.ok(missing <= sent * 0.01, `${missing} of ${sent} never acknowledged`);
    for (const [seq, at] of acked) assert.ok(at >= start - 1 && at <= end + 300, `arrival of ${seq} at ${at.toFixed(1)} ms, run ${start.toFixed(1)}–${end.toFixed(1)}`);
  } finally {
    for (const c of clients.values()) await c.close();
    room.close();
  }
});

test('with transport-wide feedback off, the answer asks none and none is sent', async () => {
  const clients = new Map<string, TestClient>();
  let answer = '';
  const room = new RelayRoom('room-no-twcc', (sessionId, message) => {
    if (message.type === 'relay-answer') answer = message.sdp;
    void clients.get(sessionId)?.receive(message).catch((e) => console.error('client receive failed', e));
  }, { peer: { ...LOOPBACK_PEER_CONFIG, transportCc: false } });
  const publisher = new TestClient(P, 1, { audio: 1, video: 1 }, { videoBytes: 1000, transportCc: true });
  clients.set(P, publisher);
  try {
    publisher.pc.onIceCandidate.subscribe((c) => {
      if (c) void room.handle(P, { type: 'relay-candidate', candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } });
    });
    await room.handle(P, { type: 'relay-offer', sdp: await publisher.offer(), epoch: 1 });
    await waitFor('connected', () => publisher.pc.connectionState === 'connected');
    assert.not.ok(answer.includes(TRANSPORT_CC_URI) || answer.includes('transport-cc'), 'neither the extension nor the feedback format');
    let reports = 0;
    publisher.pc.dtlsTransports[0]!.onRtcp.subscribe((packet: RtcpPacket) => {
      if (packet.type === 205 && (packet as { feedback?: unknown }).feedback instanceof TransportWideCC) reports++;
    });
    publisher.startPublishing();
    await sleep(1000);
    assert.is(reports, 0);
  } finally {
    await publisher.close();
    room.close();
  }
});

test.run();
