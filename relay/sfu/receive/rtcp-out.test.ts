import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RtcpPacketConverter } from 'werift';
import { genericNack, receiverReports } from './rtcp-out.ts';
import type { ReportBlock } from './stream-stats.ts';

// werift's RTCP parser is the independent reader here: what it reads back is what a peer would.
const parse = (bytes: Uint8Array) => RtcpPacketConverter.deSerialize(Buffer.from(bytes)) as any[];

const block = (ssrc: number): ReportBlock => ({ ssrc, fractionLost: 25, packetsLost: -3, highestSequence: 0x1_0005, jitter: 77, lsr: 0xdead_beef, dlsr: 65_536 });

test('a receiver report reads back with every field of its block', () => {
  const [rr] = parse(receiverReports(0xfeed_f00d, [block(0x1234_5678)]));
  assert.is(rr.type, 201);
  assert.is(rr.ssrc, 0xfeed_f00d);
  const r = rr.reports[0];
  assert.equal(
    [r.ssrc, r.fractionLost, r.packetsLost, r.highestSequence, r.jitter, r.lsr, r.dlsr],
    [0x1234_5678, 25, 0xff_fffd, 0x1_0005, 77, 0xdead_beef, 65_536],
    'packetsLost is its 24-bit two\'s complement on the wire',
  );
});

test('more than 31 blocks go into a second report of the same compound packet; none makes an empty one', () => {
  const packets = parse(receiverReports(1, Array.from({ length: 40 }, (_, i) => block(i + 1))));
  assert.equal(packets.map((p) => p.reports.length), [31, 9]);
  assert.equal(packets.flatMap((p) => p.reports.map((r: { ssrc: number }) => r.ssrc)), Array.from({ length: 40 }, (_, i) => i + 1));
  assert.equal(parse(receiverReports(1, [])).map((p) => p.reports.length), [0]);
});

test('a generic NACK reads back with its SSRCs and lost numbers', () => {
  const [fb] = parse(genericNack(0xaaaa_aaaa, 0xbbbb_bbbb, [100, 101, 117, 118, 300]));
  assert.is(fb.type, 205);
  assert.equal([fb.feedback.senderSsrc, fb.feedback.mediaSourceSsrc], [0xaaaa_aaaa, 0xbbbb_bbbb]);
  assert.equal(fb.feedback.lost, [100, 101, 117, 118, 300]);
});

test.run();
