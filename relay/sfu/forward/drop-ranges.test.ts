import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DropRanges } from './drop-ranges.ts';

test('deltaAt() gives each input the delta of its own position, and undefined for dropped inputs', () => {
  const r = new DropRanges(8);
  r.reset(0, 100);
  r.add(105, -1);
  r.add(106, -2);
  r.add(110, -3);
  assert.equal([100, 104, 105, 106, 107, 109, 110, 111].map((e) => r.deltaAt(e)), [0, 0, undefined, undefined, -2, -2, undefined, -3]);
  assert.is(r.deltaAt(99), undefined, 'below the floor');
});

test('when full, the oldest run is forgotten and the floor rises past it', () => {
  const r = new DropRanges(2);
  r.reset(0, 0);
  r.add(10, -1);
  r.add(20, -2);
  r.add(30, -3);
  assert.is(r.floor, 11);
  assert.is(r.deltaAt(5), undefined);
  assert.is(r.deltaAt(15), -1);
  assert.is(r.deltaAt(25), -2);
  assert.is(r.deltaAt(31), -3);
});

test('consecutive drops merge into one run, so a run of any length takes one slot', () => {
  const r = new DropRanges(1);
  r.reset(0, 0);
  for (let e = 10; e < 1000; e++) r.add(e, 10 - e - 1);
  assert.is(r.floor, 0);
  assert.is(r.deltaAt(5), 0);
  assert.is(r.deltaAt(1000), -990);
});

test('the ring starts small and grows as runs come, keeping every run in order, up to capacity', () => {
  // A model: every run kept in an array, the oldest forgotten past `capacity`, looked up by scanning.
  const capacity = 64;
  const r = new DropRanges(capacity);
  r.reset(0, 0);
  assert.ok(r.allocated < capacity, 'small before any drop');
  let runs: Array<{ start: number; end: number; after: number }> = [];
  let base = 0;
  let floor = 0;
  let ext = 0;
  let delta = 0;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 500; i++) {
    ext += 1 + Math.floor(rand() * 3); // 1: merges with the run before it
    delta -= 1;
    r.add(ext, delta);
    const last = runs.at(-1);
    if (last && last.end === ext - 1) (last.end = ext), (last.after = delta);
    else {
      if (runs.length === capacity) (base = runs[0]!.after), (floor = runs[0]!.end + 1), (runs = runs.slice(1));
      runs.push({ start: ext, end: ext, after: delta });
    }
    if (i % 25 !== 0) continue;
    for (let e = Math.max(0, ext - 300); e <= ext + 1; e++) {
      const run = [...runs].reverse().find((x) => x.start <= e);
      const expected = e < floor ? undefined : !run ? base : e <= run.end ? undefined : run.after;
      assert.is(r.deltaAt(e), expected, `input ${e} after ${i + 1} drops`);
    }
  }
  assert.is(r.allocated, capacity);
});

test.run();
