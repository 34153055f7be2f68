import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ForwardConfigError } from './errors.ts';
import { type PadDecision, type SendDecision, SequenceMunger } from './munger.ts';
import { dropOf, key, media, sent, seqOf, startedMunger as started, VIDEO } from './testing.ts';

test('forward() passes the first source through unchanged by default, or starts at initialSeq/initialTs', () => {
  const m = started();
  assert.equal(sent(m.forward(media('a', 101, 9000), 1)), { seq: 101, ts: 9000 });
  const n = started({ initialSeq: 7, initialTs: 1_000_000 });
  assert.equal(sent(n.forward(media('a', 101, 12_000), 1)), { seq: 8, ts: 1_003_000 });
});

test('forward() drops everything until switchTo() names a source, and a video source until its keyframe', () => {
  const m = new SequenceMunger({ clockRate: VIDEO });
  assert.is(dropOf(m.forward(media('a', 1, 0, key), 0)), 'not-selected');
  m.switchTo('a');
  assert.is(dropOf(m.forward(media('a', 2, 0), 0)), 'awaiting-keyframe');
  assert.is(seqOf(m.forward(media('a', 3, 0, key), 0)), 3);
  assert.is(m.sourceId, 'a');
  assert.is(m.pendingSourceId, null);
});

test('drop() of the current source leaves no hole in the output sequence', () => {
  const m = started();
  assert.is(seqOf(m.forward(media('a', 101, 9000), 1)), 101);
  assert.is(dropOf(m.drop(media('a', 102, 12000), 1)), 'filtered');
  m.drop(media('a', 103, 12000), 1);
  assert.is(seqOf(m.forward(media('a', 104, 15000), 2)), 102);
  assert.is(dropOf(m.drop(media('a', 105, 15000), 1)), 'filtered');
  assert.is(seqOf(m.forward(media('a', 106, 18000), 3)), 103);
});

test('drop() of a late packet fills the hole it left with padding, once', () => {
  const m = started();
  assert.is(seqOf(m.forward(media('a', 102, 12000), 1)), 102);
  assert.equal(m.drop(media('a', 101, 9000), 1), { pad: { seq: 101, ts: 9000 } });
  assert.is(dropOf(m.drop(media('a', 101, 9000), 1)), 'filtered', 'a duplicate is not padded twice');
  assert.is(dropOf(m.forward(media('a', 101, 9000), 2)), 'duplicate');
  assert.is(m.translateNack(101)?.padding, true);
  assert.is(m.padded, 1);
  assert.is(m.dropped.filtered, 2);
  const reuse: PadDecision = { pad: { seq: 0, ts: 0 } };
  m.forward(media('a', 104, 15000), 3);
  assert.is(m.drop(media('a', 103, 12000), 3, reuse), reuse);
  assert.equal(reuse.pad, { seq: 103, ts: 12000 });
});

test('padding-only packets of the current source are dropped without leaving a hole', () => {
  const m = started();
  assert.is(dropOf(m.forward(media('a', 101, 9000, { payloadLength: 0 }), 1)), 'padding');
  assert.is(seqOf(m.forward(media('a', 102, 9000), 1)), 101);
  assert.is(m.dropped.padding, 1);
});

test('a padding probe stamped ahead of the next frame does not make that frame look like time going back', () => {
  const m = started();
  m.forward(media('a', 101, 12_000, { payloadLength: 0 }), 20);
  assert.equal(sent(m.forward(media('a', 102, 11_000), 25)), { seq: 101, ts: 11_000 }, 'no re-anchoring');
});

test('a late packet gets the output number of its own position, also across later drops', () => {
  const m = started();
  assert.is(seqOf(m.forward(media('a', 103, 9000), 1)), 103, '101 and 102 are late: a real hole for now');
  m.drop(media('a', 104, 9000), 1);
  assert.is(seqOf(m.forward(media('a', 105, 12000), 2)), 104);
  assert.is(seqOf(m.forward(media('a', 102, 9000), 3)), 102);
  assert.is(seqOf(m.forward(media('a', 101, 9000), 3)), 101);
  assert.equal(sent(m.forward(media('a', 106, 12000), 4)), { seq: 105, ts: 12000 });
});

test('a late copy of a dropped packet is never sent: its output number belongs to the next packet', () => {
  const m = started();
  m.drop(media('a', 101, 9000), 1);
  assert.is(seqOf(m.forward(media('a', 102, 9000), 1)), 101);
  assert.is(dropOf(m.forward(media('a', 101, 9000), 2)), 'duplicate');
});

test('duplicates are dropped, whether newest or late', () => {
  const m = started();
  m.forward(media('a', 102, 9000), 1);
  assert.is(dropOf(m.forward(media('a', 102, 9000), 1)), 'duplicate');
  m.forward(media('a', 101, 9000), 1);
  assert.is(dropOf(m.forward(media('a', 101, 9000), 1)), 'duplicate');
  assert.is(m.dropped.duplicate, 2);
});

test('late packets beyond the reorder window are dropped as too old', () => {
  const m = started({ reorderWindow: 10 });
  m.forward(media('a', 120, 9000), 1);
  assert.is(dropOf(m.forward(media('a', 109, 9000), 1)), 'too-old');
  assert.is(seqOf(m.forward(media('a', 110, 9000), 1)), 110);
});

test('the output wraps from 65535 to 0 without a jump', () => {
  const m = started({ initialSeq: 65534 });
  assert.equal([101, 102, 103].map((s) => seqOf(m.forward(media('a', s, 9000), 1))), [65535, 0, 1]);
  m.switchTo('b');
  assert.is(seqOf(m.forward(media('b', 65535, 1, key), 2)), 2);
  assert.is(seqOf(m.forward(media('b', 0, 1), 2)), 3);
});

test('translateNack() names the source packet behind an output number, while it is remembered', () => {
  const m = started({ historySize: 16, reorderWindow: 8 });
  m.forward(media('a', 101, 12000), 1);
  m.switchTo('b');
  m.forward(media('b', 65535, 5, key), 2);
  assert.equal(m.translateNack(101), { sourceId: 'a', seq: 101, outSeq: 101, outExt: 101 + 65536, outTs: 12000, padding: false });
  assert.equal(m.translateNack(102)?.sourceId, 'b');
  assert.equal(m.translateNack(102)?.seq, 65535);
  assert.is(m.translateNack(103), undefined, 'not sent yet');
  for (let i = 0; i < 20; i++) m.forward(media('b', i, 5), 3);
  assert.is(m.translateNack(101), undefined, 'fell out of the history');
  assert.is(new SequenceMunger({ clockRate: VIDEO }).translateNack(1), undefined);
});

test('forward() fills a caller-owned decision instead of allocating one', () => {
  const m = started();
  const reuse: SendDecision = { send: { seq: 0, ts: 0 } };
  const d = m.forward(media('a', 101, 9000), 1, reuse);
  assert.is(d, reuse);
  assert.equal(reuse.send, { seq: 101, ts: 9000 });
  assert.is(m.forward(media('x', 1, 1), 1, reuse), m.forward(media('y', 1, 1), 1), 'drop decisions are shared constants');
});

test('drops are counted by reason and sends are counted', () => {
  const m = started();
  m.forward(media('z', 1, 1), 0);
  m.forward(media('z', 2, 1), 0);
  m.drop(media('a', 101, 1), 1);
  assert.is(m.sent, 1);
  assert.equal(m.dropped, { 'not-selected': 2, 'awaiting-keyframe': 0, 'before-switch': 0, 'too-old': 0, duplicate: 0, padding: 0, filtered: 1 });
});

test('nonsense options throw ForwardConfigError', () => {
  assert.throws(() => new SequenceMunger({ clockRate: 0 }), (e: unknown) => e instanceof ForwardConfigError);
  assert.throws(() => new SequenceMunger({ clockRate: VIDEO, historySize: 1000 }), (e: unknown) => e instanceof ForwardConfigError);
  assert.throws(() => new SequenceMunger({ clockRate: VIDEO, reorderWindow: 4096 }), (e: unknown) => e instanceof ForwardConfigError);
});

test.run();
test.run();
