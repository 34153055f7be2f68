import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SEQ_CYCLE, SeqUnwrapper, seqDistance, TimestampUnwrapper, tsDistance, unwrapSeqNear, wrapSeq, wrapTs } from './unwrap.ts';

function unwrapAll(seqs: number[]): number[] {
  const u = new SeqUnwrapper();
  return seqs.map((s) => u.unwrap(s));
}

test('SeqUnwrapper counts on through 65535 → 0', () => {
  const ext = unwrapAll([65534, 65535, 0, 1]);
  assert.equal(ext.map((e) => e - (ext[0] ?? 0)), [0, 1, 2, 3]);
  assert.equal(ext.map(wrapSeq), [65534, 65535, 0, 1]);
});

test('SeqUnwrapper places a late 65534 that arrives after 1 just before the wrap', () => {
  const ext = unwrapAll([65533, 65535, 0, 1, 65534]);
  const base = ext[0] ?? 0;
  assert.equal(ext.map((e) => e - base), [0, 2, 3, 4, 1]);
});

test('SeqUnwrapper keeps order when packets are reordered across the wrap', () => {
  const arrivals = [65532, 65534, 0, 65533, 65535, 2, 1, 3];
  const ext = unwrapAll(arrivals);
  const base = ext[0] ?? 0;
  assert.equal(ext.map((e) => e - base), [0, 2, 4, 1, 3, 6, 5, 7]);
  const u = new SeqUnwrapper();
  for (const s of arrivals) u.unwrap(s);
  assert.is(u.highest, base + 7, 'highest is the newest, not the last to arrive');
});

test('SeqUnwrapper takes a 30,000-packet gap as a jump forward, also across a wrap', () => {
  const ext = unwrapAll([50_000, 50_000 + 30_000 - 65536, 50_001]);
  const base = ext[0] ?? 0;
  assert.equal(ext.map((e) => e - base), [0, 30_000, 1]);
});

test('SeqUnwrapper keeps counting over many wraps and late packets before the first stay non-negative', () => {
  const u = new SeqUnwrapper();
  const first = u.unwrap(3);
  let last = first;
  for (let i = 1; i <= 5 * SEQ_CYCLE; i++) last = u.unwrap((3 + i) & 0xffff);
  assert.is(last - first, 5 * SEQ_CYCLE);
  const v = new SeqUnwrapper();
  v.unwrap(0);
  assert.ok(v.unwrap(65000) >= 0, 'a packet from before the first one');
});

test('TimestampUnwrapper counts on through 2^32 − 1 → 0 and places late timestamps behind', () => {
  const u = new TimestampUnwrapper();
  const a = u.unwrap(0xffff_ff00);
  const b = u.unwrap(0x0000_0100);
  const late = u.unwrap(0xffff_fff0);
  assert.is(b - a, 0x200);
  assert.is(late - a, 0xf0);
  assert.is(u.highest, b);
  assert.is(wrapTs(b), 0x100);
});

test('TimestampUnwrapper takes a jump just under 2^31 as forward and just over as backward', () => {
  const u = new TimestampUnwrapper();
  const a = u.unwrap(1000);
  assert.is(u.unwrap(1000 + 0x7fff_ffff) - a, 0x7fff_ffff);
  const v = new TimestampUnwrapper();
  const c = v.unwrap(1000);
  assert.is(v.unwrap((1000 + 0x8000_0001) >>> 0) - c, -0x7fff_ffff);
});

test('wrapSeq and wrapTs take any extended number (negative or past 2^32) to its wire value', () => {
  assert.is(wrapSeq(-1), 65535);
  assert.is(wrapSeq(2 ** 40 + 5), 5);
  assert.is(wrapTs(-1), 0xffff_ffff);
  assert.is(wrapTs(2 ** 45 + 7), 7);
});

test('distances are signed and wrap-aware', () => {
  assert.is(seqDistance(65535, 0), 1);
  assert.is(seqDistance(0, 65535), -1);
  assert.is(seqDistance(0, 32767), 32767);
  assert.is(seqDistance(0, 32768), -32768);
  assert.is(tsDistance(0xffff_ffff, 1), 2);
  assert.is(tsDistance(1, 0xffff_ffff), -2);
  assert.is(unwrapSeqNear(SEQ_CYCLE * 7 + 65535, 2), SEQ_CYCLE * 8 + 2);
});

test.run();
