import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SequenceMunger, type SourceId } from './munger.ts';
import { buildNackFci, NackResponder, parseNackFci } from './nack.ts';
import { PacketCache } from './packet-cache.ts';
import { readRtpSeq, readRtpTimestamp } from './rtp.ts';
import { media, mulberry32, randomInt, rtpPacket } from './testing.ts';
import { SeqUnwrapper } from './unwrap.ts';

test('parseNackFci() reads PID and the BLP bitmask (bit i means PID + i + 1)', () => {
  assert.equal(parseNackFci(new Uint8Array([0, 100, 0b1000_0000, 0b0000_0101])), [100, 101, 103, 116]);
  assert.equal(parseNackFci(new Uint8Array([0xff, 0xff, 0, 1, 0, 7, 0, 0])), [65535, 0, 7], 'BLP wraps past 65535');
  assert.equal(parseNackFci(new Uint8Array([0, 1, 0, 0, 9, 9])), [1], 'a truncated entry is ignored, not thrown at');
});

test('buildNackFci() packs up to 17 numbers per entry, wrap-aware, and round-trips through parseNackFci()', () => {
  assert.equal([...buildNackFci([100, 101, 103, 116])], [0, 100, 0x80, 0x05]);
  assert.is(buildNackFci([100, 117]).byteLength, 8, '117 is 17 past PID: a second entry');
  assert.equal(parseNackFci(buildNackFci([1, 65534, 0, 65535, 1])), [65534, 65535, 0, 1]);
  assert.is(buildNackFci([]).byteLength, 0);
  const random = mulberry32(7);
  for (let round = 0; round < 200; round++) {
    const start = randomInt(random, 0, 65535);
    const seqs = new Set<number>();
    for (let i = randomInt(random, 1, 60); i > 0; i--) seqs.add((start + randomInt(random, 0, 300)) & 0xffff);
    const parsed = parseNackFci(buildNackFci([...seqs]));
    assert.equal(new Set(parsed), seqs);
    assert.is(parsed.length, seqs.size);
  }
});

/** Source 'a' (seq 1000…) then 'b' (seq 65530…, across a wrap) through a munger, with caches. */
function scene() {
  const caches = new Map<SourceId, PacketCache>([['a', new PacketCache(64)], ['b', new PacketCache(64)]]);
  const unwrappers = new Map<SourceId, SeqUnwrapper>([['a', new SeqUnwrapper()], ['b', new SeqUnwrapper()]]);
  const munger = new SequenceMunger({ clockRate: 90_000, initialSeq: 500, initialTs: 0 });
  const ingress = (sourceId: 'a' | 'b', seq: number, ts: number, now: number, isKeyframe = false) => {
    caches.get(sourceId)?.put(unwrappers.get(sourceId)?.unwrap(seq) ?? 0, rtpPacket({ seq, ts }));
    return munger.forward(media(sourceId, seq, ts, { isKeyframe }), now);
  };
  munger.switchTo('a');
  for (let i = 0; i < 5; i++) ingress('a', 1000 + i, 3000 * i, i, i === 0); // out 500..504
  munger.switchTo('b');
  for (let i = 0; i < 10; i++) ingress('b', (65530 + i) & 0xffff, 7 + 3000 * i, 10 + i, i === 0); // out 505..514
  return { munger, cacheFor: (id: SourceId) => caches.get(id), responder: new NackResponder(munger, { maxResends: 2 }) };
}

test('NackResponder resends the original packet with the output seq and ts it went out with', () => {
  const { responder, cacheFor } = scene();
  const resends = responder.respond([502, 506, 511], 100, 50, cacheFor);
  // 'a' ended with ts 12000 at 4 ms; 'b' took over at 10 ms: 6 ms × 90 ticks later.
  assert.equal(resends.map((r) => [r.sourceId, r.seq, readRtpSeq(r.packet), readRtpTimestamp(r.packet)]), [
    ['a', 502, 502, 6000],
    ['b', 506, 506, 12000 + 6 * 90 + 3000],
    ['b', 511, 511, 12000 + 6 * 90 + 6 * 3000],
  ]);
  assert.is(resends[2]?.packet[12], (65530 + 6) & 0xff, 'the payload is the source packet’s (seq 0 after the wrap)');
});

test('each resend is the subscriber’s own copy: changing it touches neither the cache nor another resend', () => {
  const { responder, cacheFor } = scene();
  const [first] = responder.respond([503], 0, 10, cacheFor);
  const [again] = responder.respond([503], 20, 10, cacheFor);
  assert.ok(first && again);
  first.packet.fill(0xee);
  assert.is(readRtpSeq(again.packet), 503);
  assert.is(cacheFor('a')?.getBySeq(1003)?.[12], 1003 & 0xff);
});

test('NackResponder resends a packet at most once per RTT and at most maxResends times', () => {
  const { responder, cacheFor } = scene();
  const counts = [0, 30, 60, 100, 200, 400].map((now) => responder.respond([507], now, 50, cacheFor).length);
  assert.equal(counts, [1, 0, 1, 0, 0, 0]);
  assert.is(responder.stats.throttled, 1);
  assert.is(responder.stats.exhausted, 3);
});

test('a NACK for a slot that was filled with padding is answered with padding again', () => {
  const { munger, responder, cacheFor } = scene();
  munger.forward(media('b', 5, 7 + 33_000), 30); // out 516; 4 (out 515) is late…
  const pad = munger.drop(media('b', 4, 7 + 30_000), 1); // …and filtered out: padding for 515
  assert.equal(pad, { pad: { seq: 515, ts: 12000 + 6 * 90 + 30_000 } });
  cacheFor('b')?.put(131_076, rtpPacket({ seq: 4, ts: 7 + 30_000, payloadType: 100, ssrc: 42 }));
  const [resend] = responder.respond([515], 40, 50, cacheFor);
  assert.ok(resend?.padding);
  assert.equal([...resend.packet], [0xa0, 100, 2, 3, 0, 0, 0xa6, 0x2c, 0, 0, 0, 42, 0, 0, 0, 4]);
});

test('NACKs for numbers never sent, or whose packet left the cache, are counted and skipped', () => {
  const { responder, cacheFor, munger } = scene();
  assert.equal(responder.respond([515, 499, 40_000], 0, 50, cacheFor), []);
  assert.is(responder.stats.unknown, 3);
  const b = cacheFor('b');
  for (let i = 1; i <= 64 && b; i++) b.put(b.newest + 1, rtpPacket({ seq: i, ts: 0 }));
  assert.equal(responder.respond([506], 0, 50, cacheFor), []);
  assert.is(responder.stats.missing, 1);
  assert.equal(responder.respond([501], 0, 50, () => undefined), []);
  assert.is(responder.stats.missing, 2);
  assert.ok(munger.translateNack(506), 'the munger still knows it; only the bytes are gone');
});

test.run();
