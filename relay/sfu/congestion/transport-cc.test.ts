/**
 * Transport-wide CC feedback, read back with werift's parser (an implementation written from the same
 * draft by others) and checked byte by byte where the layout is the point.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RtcpPacketConverter, TransportWideCC } from 'werift';
import { TransportCcFeedback, encodeChunks } from './transport-cc.ts';

type Report = { base: number; count: number; reference: number; fbCount: number; received: Array<{ seq: number; atUs: number }>; lost: number[] };

/** What one feedback packet says: each number received (with its arrival time rebuilt from the deltas) or lost. */
function read(bytes: Uint8Array): Report {
  assert.is(bytes.length % 4, 0, 'a whole number of 32-bit words');
  assert.is(((bytes[2]! << 8) | bytes[3]!) + 1, bytes.length / 4, 'the length field matches');
  const [packet] = RtcpPacketConverter.deSerialize(Buffer.from(bytes));
  const fb = (packet as unknown as { feedback: TransportWideCC }).feedback;
  assert.instance(fb, TransportWideCC);
  const statuses: number[] = [];
  for (const chunk of fb.packetChunks) {
    if ('runLength' in chunk) for (let i = 0; i < chunk.runLength; i++) statuses.push(chunk.packetStatus);
    else statuses.push(...chunk.symbolList);
  }
  const received: Report['received'] = [];
  const lost: number[] = [];
  let at = fb.referenceTime * 64_000;
  let d = 0;
  for (let i = 0; i < fb.packetStatusCount; i++) {
    const seq = (fb.baseSequenceNumber + i) & 0xffff;
    if (statuses[i] === 0) lost.push(seq);
    else {
      at += fb.recvDeltas[d++]!.delta;
      received.push({ seq, atUs: at });
    }
  }
  assert.is(d, fb.recvDeltas.length, 'one delta per received packet');
  return { base: fb.baseSequenceNumber, count: fb.packetStatusCount, reference: fb.referenceTime, fbCount: fb.fbPktCount, received, lost };
}

test('a run of packets: every number received, arrival times rebuilt within one tick, no drift', () => {
  const f = new TransportCcFeedback();
  const start = 10_000_000;
  const arrivals = Array.from({ length: 40 }, (_, i) => start + i * 3_333); // 300 packets/s
  arrivals.forEach((at, i) => f.received(100 + i, at));
  const packets = f.take(0x1111, 0x2222);
  assert.is(packets.length, 1);
  const r = read(packets[0]!);
  assert.is(r.base, 100);
  assert.is(r.count, 40);
  assert.equal(r.lost, []);
  assert.is(r.reference, Math.floor(start / 64_000));
  r.received.forEach((p, i) => assert.ok(Math.abs(p.atUs - arrivals[i]!) <= 125, `packet ${i}: ${p.atUs} vs ${arrivals[i]}`));
  assert.equal(f.take(0x1111, 0x2222), [], 'nothing new: no feedback');
});

test('losses are reported as not received, between and after received packets, and later feedback goes on from there', () => {
  const f = new TransportCcFeedback();
  for (const seq of [1, 2, 5, 6, 30]) f.received(seq, 1_000_000 + seq * 1_000);
  const first = read(f.take(1, 2)[0]!);
  assert.is(first.base, 1);
  assert.is(first.count, 30);
  assert.equal(first.received.map((p) => p.seq), [1, 2, 5, 6, 30]);
  assert.equal(first.lost, [3, 4, ...Array.from({ length: 23 }, (_, i) => 7 + i)]);
  f.received(32, 1_040_000);
  const second = read(f.take(1, 2)[0]!);
  assert.is(second.base, 31, 'starts at the first number not yet reported');
  assert.equal(second.lost, [31]);
  assert.equal(second.received.map((p) => p.seq), [32]);
  assert.is(second.fbCount, (first.fbCount + 1) & 0xff, 'the feedback packet count goes up');
});

test('the sequence wraps 65535 → 0 within one feedback', () => {
  const f = new TransportCcFeedback();
  for (const seq of [65533, 65534, 65535, 0, 1]) f.received(seq, 5_000_000 + ((seq + 3) & 0xffff) * 2_000);
  const r = read(f.take(1, 2)[0]!);
  assert.is(r.base, 65533);
  assert.equal(r.received.map((p) => p.seq), [65533, 65534, 65535, 0, 1]);
});

test('a reordered packet gets a negative (two-byte) delta; one reported lost before it arrived stays lost', () => {
  const f = new TransportCcFeedback();
  f.received(10, 2_000_000);
  f.received(12, 2_010_000);
  f.received(11, 2_012_000); // arrived after 12: its delta from 12 is positive, 13's from 11 negative
  f.received(13, 2_011_000);
  const r = read(f.take(1, 2)[0]!);
  assert.equal(r.lost, []);
  const at = new Map(r.received.map((p) => [p.seq, p.atUs]));
  assert.ok(Math.abs(at.get(13)! - 2_011_000) <= 125 && Math.abs(at.get(11)! - 2_012_000) <= 125);
  f.received(15, 2_030_000);
  f.take(1, 2);
  f.received(14, 2_031_000); // too late: 14 went out as lost
  assert.equal(f.take(1, 2), []);
});

test('a gap in time beyond a two-byte delta (8.2 s) starts a new packet', () => {
  const f = new TransportCcFeedback();
  f.received(1, 1_000_000);
  f.received(2, 1_020_000);
  f.received(3, 11_000_000);
  const packets = f.take(1, 2).map(read);
  assert.is(packets.length, 2);
  assert.equal(packets[0]!.received.map((p) => p.seq), [1, 2]);
  assert.is(packets[1]!.base, 3);
  assert.ok(Math.abs(packets[1]!.received[0]!.atUs - 11_000_000) <= 125);
});

test('a long report is split into packets of at most 300 statuses, each well inside the MTU', () => {
  const f = new TransportCcFeedback();
  for (let seq = 0; seq < 1000; seq++) if (seq % 3 !== 0) f.received(seq, 1_000_000 + seq * 100_000 / 1000 + (seq % 2) * 70_000);
  const packets = f.take(1, 2);
  assert.is(packets.length, 4);
  const reports = packets.map(read);
  assert.equal(reports.map((r) => r.base), [1, 301, 601, 901], 'from the first arrival (0 never came)');
  assert.is(reports.reduce((n, r) => n + r.count, 0), 998, '1 to 998, the highest seen');
  for (const p of packets) assert.ok(p.length <= 720, `${p.length} bytes`);
  for (const r of reports) for (const p of r.received) assert.ok(p.seq % 3 !== 0);
});

test('the layout: header, padding length in the last byte with the P bit, big-endian fields', () => {
  const f = new TransportCcFeedback();
  f.received(7, 64_000 * 5 + 500); // reference 5, first delta 2 ticks
  const [bytes] = f.take(0x01020304, 0x05060708);
  // 20 bytes of header and feedback fields, one chunk (2), one small delta (1): 23 → 24 with 1 byte of padding.
  assert.equal([...bytes!], [0xaf, 205, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8, 0, 7, 0, 1, 0, 0, 5, 0, 0x20, 1, 2, 1]);
});

test('chunks: long runs as run-length, mixed small statuses in one-bit vectors, large deltas in two-bit vectors', () => {
  assert.equal(encodeChunks(Array(20).fill(1)), [(1 << 13) | 20]);
  assert.equal(encodeChunks([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]), [0x8000 | 0b10101010101010]);
  assert.equal(encodeChunks([2, 1, 0, 2, 1, 0, 1]), [0xc000 | (0b10_01_00_10_01_00_01)]);
  assert.equal(encodeChunks([1, 1, 1]), [(1 << 13) | 3], 'a short all-same remainder is a run');
  const long = Array(9000).fill(0);
  assert.equal(encodeChunks(long), [0x1fff, 9000 - 0x1fff], 'runs longer than 8191 are split');
});

test.run();
