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

test.run();
