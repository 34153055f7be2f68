import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamStats } from './stream-stats.ts';

const VIDEO = 90_000;

/** Packets every 10 ms, 900 timestamp units apart (a steady 90 kHz stream), skipping `lost`. */
function feed(stats: StreamStats, firstSeq: number, count: number, lost: ReadonlySet<number> = new Set(), startMs = 0): void {
  for (let i = 0; i < count; i++) {
    const seq = (firstSeq + i) & 0xffff;
    if (!lost.has(seq)) stats.packet(seq, (1000 + 900 * i) >>> 0, startMs + 10 * i);
  }
}

test('report() is undefined before the first packet, and while nothing came since the last report', () => {
  const s = new StreamStats(1, VIDEO);
  assert.is(s.report(0), undefined);
  feed(s, 0, 5);
  assert.ok(s.report(100));
  assert.is(s.report(1100), undefined, 'a stream that stopped is not reported');
  feed(s, 5, 5, new Set([5]), 2000);
  assert.equal([s.report(2100)!.fractionLost, s.report(2100)], [Math.floor(256 / 5), undefined]);
});

test('a lossless stream reports no loss, its highest number and zero jitter', () => {
  const s = new StreamStats(7, VIDEO);
  feed(s, 100, 50);
  const r = s.report(500)!;
  assert.equal([r.ssrc, r.fractionLost, r.packetsLost, r.highestSequence, r.jitter], [7, 0, 0, 149, 0]);
});

test('loss across a wrap: the extended highest number counts the wrap, lost and fraction are right', () => {
  const s = new StreamStats(7, VIDEO);
  feed(s, 65_500, 100, new Set([65_534, 65_535, 0, 1])); // 100 expected, 4 lost, last is 63 after the wrap
  const r = s.report(1000)!;
  assert.is(r.highestSequence, 0x1_0000 + 63);
  assert.is(r.packetsLost, 4);
  assert.is(r.fractionLost, Math.floor((4 * 256) / 100));
});

test('the fraction covers only the interval since the last report; the cumulative count keeps growing', () => {
  const s = new StreamStats(7, VIDEO);
  feed(s, 0, 100, new Set([10, 11]));
  assert.is(s.report(1000)!.fractionLost, Math.floor((2 * 256) / 100));
  feed(s, 100, 100, new Set([150]), 1000);
  const second = s.report(2000)!;
  assert.is(second.fractionLost, Math.floor(256 / 100));
  assert.is(second.packetsLost, 3);
  feed(s, 200, 50, new Set(), 2000);
  assert.is(s.report(3000)!.fractionLost, 0);
});

test('duplicates make the interval count negative: the fraction reads 0, the cumulative count goes below 0', () => {
  const s = new StreamStats(7, VIDEO);
  feed(s, 0, 10);
  s.packet(5, 1000 + 900 * 5, 100);
  s.packet(6, 1000 + 900 * 6, 100);
  const r = s.report(200)!;
  assert.is(r.fractionLost, 0);
  assert.is(r.packetsLost, -2);
});

test('a packet recovered late (retransmitted) lowers the count lost and does not move the jitter', () => {
  const s = new StreamStats(7, VIDEO);
  feed(s, 0, 20, new Set([5]));
  s.packet(5, 1000 + 900 * 5, 400); // 345 ms late: counted as a packet only
  const r = s.report(500)!;
  assert.is(r.packetsLost, 0);
  assert.is(r.jitter, 0);
});

test('jitter: packets alternating 5 ms early and late converge towards the mean deviation (RFC 3550 A.8)', () => {
  const s = new StreamStats(7, VIDEO);
  for (let i = 0; i < 400; i++) s.packet(i, 900 * i, 10 * i + (i % 2 === 0 ? 5 : -5));
  // |D| is 10 ms = 900 units on every packet, so J tends to 900.
  const { jitter } = s.report(4000)!;
  assert.ok(jitter > 880 && jitter <= 900, `jitter ${jitter}`);
});

test('jitter across an RTP timestamp wrap stays zero for a steady stream', () => {
  const s = new StreamStats(7, VIDEO);
  for (let i = 0; i < 20; i++) s.packet(i, (0xffff_ff00 + 900 * i) >>> 0, 10 * i);
  assert.is(s.report(200)!.jitter, 0);
});

test('LSR is the middle of the NTP time; DLSR the delay since, in 1/65536 s', () => {
  const s = new StreamStats(7, VIDEO);
  feed(s, 0, 3);
  const before = s.report(0)!;
  assert.equal([before.lsr, before.dlsr], [0, 0], 'no sender report yet');
  s.senderReport(0x1234_5678, 0x9abc_def0, 1000);
  feed(s, 3, 3, new Set(), 1000);
  const r = s.report(1500)!;
  assert.is(r.lsr, 0x5678_9abc);
  assert.is(r.dlsr, 32_768);
});

test('a stream that lost more than 2^23 packets reports the clamped 24-bit count', () => {
  const s = new StreamStats(7, VIDEO);
  // 0x800000 lost: jumps of 30,000 (under half the sequence space) with one packet received in each.
  let seq = 0;
  let lost = 0;
  s.packet(seq, 0, 0);
  while (lost <= 0x80_0000) {
    seq = (seq + 30_000) & 0xffff;
    s.packet(seq, 0, 0);
    lost += 29_999;
  }
  assert.is(s.report(0)!.packetsLost, 0x7f_ffff);
});

test.run();
