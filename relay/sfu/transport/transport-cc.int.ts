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
import { LOOPBACK_PEER_CONFIG } from './test-client.ts';
import { TestRoom } from './test-room.ts';
import { TRANSPORT_CC_URI } from './transport-cc.ts';

const [P, V] = ['session-pub', 'session-view'] as const;

test('a publisher that numbers its packets gets transport-wide feedback about every one of them', async () => {
  const t = new TestRoom('room-twcc');
  try {
    const publisher = await t.join({ id: P, tag: 1, slots: { audio: 1, video: 1 }, media: { videoBytes: 1000, transportCc: true } });
    await t.join({ id: V, tag: 2, slots: { audio: 1, video: 1 } });
    await t.connected();
    const answers = t.answers;

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
    await t.close();
  }
});

test('with transport-wide feedback off, the answer asks none and none is sent', async () => {
  const t = new TestRoom('room-no-twcc', { peer: { ...LOOPBACK_PEER_CONFIG, transportCc: false } });
  try {
    const publisher = await t.join({ id: P, tag: 1, slots: { audio: 1, video: 1 }, media: { videoBytes: 1000, transportCc: true } });
    await t.connected();
    const answer = t.answers.get(P) ?? '';
    assert.not.ok(answer.includes(TRANSPORT_CC_URI) || answer.includes('transport-cc'), 'neither the extension nor the feedback format');
    let reports = 0;
    publisher.pc.dtlsTransports[0]!.onRtcp.subscribe((packet: RtcpPacket) => {
      if (packet.type === 205 && (packet as { feedback?: unknown }).feedback instanceof TransportWideCC) reports++;
    });
    publisher.startPublishing();
    await sleep(1000);
    assert.is(reports, 0);
  } finally {
    await t.close();
  }
});

test.run();
