import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ForwardConfigError } from './errors.ts';
import { PacketCache } from './packet-cache.ts';
import { readRtpSeq } from './rtp.ts';
import { rtpPacket } from './testing.ts';
import { SeqUnwrapper } from './unwrap.ts';

test('get() returns the stored bytes of a packet, as a copy of what was put', () => {
  const cache = new PacketCache(16);
  const packet = rtpPacket({ seq: 7, ts: 100, payloadLength: 30 });
  assert.ok(cache.put(70_000, packet));
  packet.fill(0);
  const got = cache.get(70_000);
  assert.ok(got);
  assert.is(got.byteLength, 42);
  assert.is(readRtpSeq(got), 7, 'the caller may reuse its buffer after put()');
});

test('the oldest packets are evicted once the ring is full', () => {
  const cache = new PacketCache(8);
  for (let ext = 100; ext < 110; ext++) cache.put(ext, rtpPacket({ seq: ext, ts: 0 }));
  assert.is(cache.get(101), undefined);
  assert.ok(cache.get(102));
  assert.ok(cache.get(109));
  assert.is(cache.newest, 109);
  assert.not.ok(cache.put(101, rtpPacket({ seq: 101, ts: 0 })), 'too old for the ring');
  assert.is(cache.stats.tooOld, 1);
});

test('a missing packet is a miss, never an exception', () => {
  const cache = new PacketCache(8);
  assert.is(cache.get(5), undefined);
  assert.is(cache.getBySeq(5), undefined);
  cache.put(10, rtpPacket({ seq: 10, ts: 0 }));
  cache.put(12, rtpPacket({ seq: 12, ts: 0 }));
  assert.is(cache.get(11), undefined, 'a gap');
  assert.is(cache.get(13), undefined, 'not yet');
  assert.is(cache.stats.misses, 4);
});

test('a duplicate keeps the first copy', () => {
  const cache = new PacketCache(8);
  assert.ok(cache.put(3, rtpPacket({ seq: 3, ts: 0, fill: 1 })));
  assert.not.ok(cache.put(3, rtpPacket({ seq: 3, ts: 0, fill: 2 })));
  assert.is(cache.get(3)?.[12], 1);
  assert.is(cache.stats.duplicates, 1);
});

test('getBySeq() finds 16-bit sequence numbers across the wrap', () => {
  const cache = new PacketCache(16);
  const unwrapper = new SeqUnwrapper();
  for (const seq of [65530, 65531, 65533, 65535, 0, 65534, 1, 2]) cache.put(unwrapper.unwrap(seq), rtpPacket({ seq, ts: 0 }));
  for (const seq of [65530, 65531, 65533, 65534, 65535, 0, 1, 2]) assert.is(readRtpSeq(cache.getBySeq(seq) ?? new Uint8Array(12)), seq, `seq ${seq}`);
  assert.is(cache.getBySeq(65532), undefined, 'lost upstream');
  assert.is(cache.resolve(65535), (cache.resolve(0)) - 1);
});

test('slot buffers are reused as the ring turns, and a bigger packet gets a bigger one', () => {
  const cache = new PacketCache(4);
  cache.put(0, rtpPacket({ seq: 0, ts: 0, payloadLength: 100 }));
  const before = cache.get(0)?.buffer;
  cache.put(4, rtpPacket({ seq: 4, ts: 0, payloadLength: 60 }));
  assert.is(cache.get(4)?.buffer, before);
  assert.is(cache.get(4)?.byteLength, 72);
  cache.put(8, rtpPacket({ seq: 8, ts: 0, payloadLength: 1200 }));
  assert.is(cache.get(8)?.byteLength, 1212);
});

test('capacity must be a power of two', () => {
  assert.throws(() => new PacketCache(500), (e: unknown) => e instanceof ForwardConfigError);
});

test('sweep() drops the bytes of packets older than maxAgeMs, oldest first, and keeps the younger ones', () => {
  const cache = new PacketCache(64, 1000);
  for (let ext = 100; ext < 110; ext++) cache.put(ext, rtpPacket({ seq: ext, ts: 0 }), (ext - 100) * 200); // 0 … 1800 ms
  cache.sweep(2000);
  assert.equal([100, 101, 102, 103, 104].map((e) => cache.get(e)), [undefined, undefined, undefined, undefined, undefined], 'stored at 0–800 ms');
  assert.ok(cache.get(105), 'stored at 1000 ms: exactly 1 s old, kept');
  assert.ok(cache.get(109));
  cache.sweep(5000);
  assert.is(cache.get(109), undefined, 'a stream that stopped loses everything once it is old');
  assert.ok(cache.put(110, rtpPacket({ seq: 110, ts: 0 }), 5000), 'and stores again when it resumes');
  assert.ok(cache.get(110));
});

test('sweep() after the ring turned many times over looks at one lap at most', () => {
  const cache = new PacketCache(8, 100);
  for (let ext = 0; ext < 100_000; ext++) cache.put(ext, rtpPacket({ seq: ext & 0xffff, ts: 0 }), 0);
  cache.sweep(50);
  assert.ok(cache.get(99_999), 'young: kept');
  cache.sweep(1000);
  assert.is(cache.get(99_999), undefined);
  assert.is(cache.get(99_992), undefined);
});

test('without maxAgeMs, sweep() keeps everything the ring holds', () => {
  const cache = new PacketCache(8);
  cache.put(1, rtpPacket({ seq: 1, ts: 0 }), 0);
  cache.sweep(1e9);
  assert.ok(cache.get(1));
});

test.run();
