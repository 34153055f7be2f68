import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ForwardConfigError } from './errors.ts';
import { OutputHistory } from './history.ts';

test('lookup() gives back what record() kept for an output number, padding included', () => {
  const h = new OutputHistory(16);
  h.record(70_000, 123_456, 'alice/1/f', 41, false);
  h.record(70_001, 123_456, 'alice/1/f', 0, true);
  assert.equal(h.lookup(70_000 & 0xffff), { sourceId: 'alice/1/f', seq: 41, outSeq: 70_000 & 0xffff, outExt: 70_000, outTs: 123_456, padding: false });
  assert.is(h.lookup(70_001 & 0xffff)?.padding, true);
  assert.is(h.lookup(69_999 & 0xffff), undefined, 'never recorded');
});

test('an entry overwritten by a later lap of the ring is gone', () => {
  const h = new OutputHistory(16);
  for (let ext = 100; ext < 140; ext++) h.record(ext, ext * 10, `s${ext % 3}`, ext, false);
  assert.is(h.lookup(110), undefined, 'slot 110 & 15 now holds 126');
  assert.is(h.lookup(126)?.sourceId, `s${126 % 3}`);
  assert.is(h.lookup(139)?.seq, 139);
});

test('sources are kept as indices: string and number ids come back as given', () => {
  const h = new OutputHistory(16);
  h.record(1, 0, 7, 1, false);
  h.record(2, 0, '7', 2, false);
  h.record(3, 0, 7, 3, false);
  assert.is(h.lookup(1)?.sourceId, 7);
  assert.is(h.lookup(2)?.sourceId, '7');
  assert.is(h.lookup(3)?.sourceId, 7);
  assert.is(h.sourceCount, 2);
});

test('a table full of sources is compacted to those entries still name, and every entry keeps its own', () => {
  const h = new OutputHistory(16, 20);
  // A new source every packet: 100 sources through a table of 20, over a ring of 16.
  for (let ext = 0; ext < 100; ext++) h.record(ext, ext, `pub-${ext}`, ext, false);
  assert.ok(h.sourceCount <= 20, `table bounded, ${h.sourceCount}`);
  for (let ext = 84; ext < 100; ext++) assert.is(h.lookup(ext)?.sourceId, `pub-${ext}`, `entry ${ext}`);
  // Switching back and forth between two sources after a compaction keeps both right.
  for (let ext = 100; ext < 140; ext++) h.record(ext, ext, ext % 2 ? 'odd' : 'even', ext, false);
  for (let ext = 124; ext < 140; ext++) assert.is(h.lookup(ext)?.sourceId, ext % 2 ? 'odd' : 'even');
});

test('a size that is not a power of two ≥ 16, or a table no larger than the ring, is refused', () => {
  assert.throws(() => new OutputHistory(24), (e: unknown) => e instanceof ForwardConfigError);
  assert.throws(() => new OutputHistory(16, 16), (e: unknown) => e instanceof ForwardConfigError);
  assert.throws(() => new OutputHistory(65_536), (e: unknown) => e instanceof ForwardConfigError, 'indices are 16-bit');
});

test.run();
