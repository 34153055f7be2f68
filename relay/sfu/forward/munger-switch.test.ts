import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SequenceMunger } from './munger.ts';
import { dropOf, key, media, sent, seqOf, startedMunger as started, VIDEO } from './testing.ts';

// Switching sources in one slot: simulcast layers, last-N video, loudest-N audio.

test('switchTo() keeps the old source flowing until the new one sends a keyframe (make before break)', () => {
  const m = started();
  m.switchTo('b');
  assert.is(m.pendingSourceId, 'b');
  assert.is(dropOf(m.forward(media('b', 5000, 1), 10)), 'awaiting-keyframe');
  assert.is(seqOf(m.forward(media('a', 101, 12000), 10)), 101);
  assert.is(seqOf(m.forward(media('b', 5001, 4, key), 20)), 102);
  assert.is(m.sourceId, 'b');
  assert.is(dropOf(m.forward(media('a', 102, 15000), 20)), 'not-selected');
});

test('a switch continues the output seq at last + 1 and the timestamp at last + elapsed time × clock rate', () => {
  const m = started();
  sent(m.forward(media('a', 101, 12000), 1000));
  m.switchTo('b');
  const first = sent(m.forward(media('b', 40_000, 777_777, key), 1250));
  assert.equal(first, { seq: 102, ts: 12000 + 0.25 * VIDEO });
  assert.equal(sent(m.forward(media('b', 40_001, 777_777), 1251)), { seq: 103, ts: first.ts }, 'same frame, same ts');
  assert.equal(sent(m.forward(media('b', 40_002, 777_777 + 3000), 1284)), { seq: 104, ts: first.ts + 3000 });
});

test('a switch in the same millisecond still moves the timestamp on by one tick', () => {
  const m = started();
  m.switchTo('b');
  assert.equal(sent(m.forward(media('b', 1, 1, key), 0)), { seq: 101, ts: 9001 });
});

test('the elapsed time runs from when the last timestamp was first sent, not from its last packet', () => {
  const m = started();
  m.forward(media('a', 101, 9000), 40);
  m.switchTo('b');
  assert.is(sent(m.forward(media('b', 1, 1, key), 100)).ts, 9000 + 0.1 * VIDEO);
});

test('a switch continues after the highest number handed out, even one a late packet took', () => {
  const m = started();
  m.drop(media('a', 102, 12000), 1); // 101 is late; 102 filtered as the newest: no number
  assert.is(seqOf(m.forward(media('a', 101, 9000), 2)), 101);
  m.switchTo('b');
  assert.is(seqOf(m.forward(media('b', 1, 1, key), 3)), 102);
  m.switchTo('c');
  m.forward(media('b', 3, 1), 4); // 2 is late
  m.drop(media('b', 2, 1), 4); // …and filtered: padded as 103
  assert.is(seqOf(m.forward(media('c', 1, 1, key), 5)), 105);
});

test('packets of the new source from before its keyframe are dropped as before-switch', () => {
  const m = started();
  m.switchTo('b');
  m.forward(media('b', 10, 500, key), 1);
  assert.is(dropOf(m.forward(media('b', 9, 400), 1)), 'before-switch');
  assert.is(seqOf(m.forward(media('b', 11, 500), 1)), 102);
});

test('target packets that overtook its keyframe leave holes that translateNack() can still name', () => {
  const m = started();
  m.switchTo('b');
  assert.is(dropOf(m.forward(media('b', 11, 500), 1)), 'awaiting-keyframe');
  assert.is(dropOf(m.forward(media('b', 9, 400), 1)), 'awaiting-keyframe');
  assert.equal(sent(m.forward(media('b', 10, 500, key), 2)), { seq: 101, ts: 9000 + 180 });
  assert.equal(m.translateNack(102), { sourceId: 'b', seq: 11, outSeq: 102, outExt: 102 + 65536, outTs: 9180, padding: false });
  assert.is(m.translateNack(100)?.sourceId, 'a', 'and 9, from before the keyframe, has no number at all');
  assert.is(seqOf(m.forward(media('b', 12, 500), 2)), 103);
});

test('late packets of the previous source still fill the holes they left before the switch', () => {
  const m = started();
  m.forward(media('a', 102, 12000), 1);
  m.switchTo('b');
  assert.is(seqOf(m.forward(media('b', 7, 70, key), 2)), 103);
  assert.equal(sent(m.forward(media('a', 101, 9000), 3)), { seq: 101, ts: 9000 });
  assert.is(dropOf(m.forward(media('a', 103, 12000), 3)), 'not-selected', 'newer than the switch: its number is taken');
});

test('a previous source that keeps sending past its own wrap never leaks into the output', () => {
  const m = started();
  m.forward(media('a', 101, 12000), 1);
  m.switchTo(null);
  let leaked = 0;
  for (let i = 2; i < 70_000; i++) if ('send' in m.forward(media('a', 100 + i, 12000 + i), 2)) leaked += 1;
  assert.is(leaked, 0);
  assert.is(m.dropped['not-selected'], 70_000 - 2);
});

test('switchTo(null) pauses the slot; resuming continues the sequence and advances the timestamp by the pause', () => {
  const m = started();
  m.switchTo(null);
  assert.is(m.sourceId, null);
  assert.is(dropOf(m.forward(media('a', 101, 12000), 10)), 'not-selected');
  m.switchTo('a');
  assert.is(dropOf(m.forward(media('a', 150, 90_000), 2000)), 'awaiting-keyframe');
  assert.equal(sent(m.forward(media('a', 151, 93_000, key), 2000)), { seq: 101, ts: 9000 + 2 * VIDEO });
});

test('a current source whose timestamp jumps backwards is re-anchored: output time never goes back', () => {
  const m = started();
  m.forward(media('a', 101, 12000), 33);
  const d = sent(m.forward(media('a', 102, 500), 66));
  assert.is(d.seq, 102);
  assert.is(d.ts, 12000 + 33 * 90);
  assert.is(sent(m.forward(media('a', 103, 3500), 99)).ts, d.ts + 3000);
});

test('audio: with every packet a keyframe, a slot switches speaker on the next packet', () => {
  const m = new SequenceMunger({ clockRate: 48_000 });
  m.switchTo('alice');
  m.forward(media('alice', 10, 960, key), 0);
  m.forward(media('alice', 11, 1920, key), 20);
  m.switchTo('bob');
  assert.equal(sent(m.forward(media('bob', 900, 5, key), 40)), { seq: 12, ts: 1920 + 960 });
});

test('translateTimestamp() maps the current source’s clock onto the output, for sender reports', () => {
  const m = started();
  m.switchTo('b');
  m.forward(media('b', 1, 50_000, key), 100);
  assert.is(m.translateTimestamp('b', 50_000 + 90_000), 9000 + 9000 + 90_000);
  assert.is(m.translateTimestamp('a', 9000), undefined);
});

test.run();
