import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NackRequester } from './nack-requester.ts';

function run(requester: NackRequester, seqs: number[]): boolean[] {
  return seqs.map((s) => requester.packet(s));
}

test('an in-order stream needs nothing', () => {
  const r = new NackRequester();
  assert.equal(run(r, [1, 2, 3, 4]), [false, false, false, false]);
  assert.equal(r.due(0), []);
});

test('a gap is requested at once, then again after the retry interval, not before', () => {
  const r = new NackRequester({ retryIntervalMs: 100 });
  assert.equal(run(r, [10, 11, 14]), [false, false, true]);
  assert.equal(r.due(1000), [12, 13]);
  assert.equal(r.due(1050), []);
  assert.equal(r.due(1100), [12, 13]);
});

test('a packet that arrives (late or retransmitted) leaves the list', () => {
  const r = new NackRequester();
  run(r, [10, 14]);
  r.due(0);
  r.packet(12);
  assert.equal(r.due(1000), [11, 13]);
  assert.is(r.stats.recovered, 1);
});

test('loss across the 16-bit wrap is requested with wire numbers, oldest first, and detection carries on', () => {
  const r = new NackRequester();
  assert.equal(run(r, [65_533, 65_534, 1]), [false, false, true]);
  assert.equal(r.due(0), [65_535, 0]);
  assert.equal(run(r, [2, 3, 6]), [false, false, true]);
  assert.equal(r.due(0), [4, 5], 'the first two are not due again yet, the new ones are');
});

test('a packet is given up after maxRetries requests', () => {
  const r = new NackRequester({ retryIntervalMs: 10, maxRetries: 3 });
  run(r, [1, 3]);
  const rounds = [0, 10, 20, 30, 40].map((t) => r.due(t));
  assert.equal(rounds, [[2], [2], [2], [], []]);
  assert.is(r.pending, 0);
  assert.is(r.stats.givenUp, 1);
});

test('a jump larger than maxGap is a restart: nothing before it is requested', () => {
  const r = new NackRequester({ maxGap: 100 });
  run(r, [1, 3]);
  assert.is(r.packet(1_000), false);
  assert.is(r.pending, 0);
  assert.equal(r.due(0), []);
  assert.is(r.stats.restarts, 1);
});

test('packets more than maxAge behind the newest are given up', () => {
  const r = new NackRequester({ maxAge: 50 });
  run(r, [0, 2]);
  for (let s = 3; s <= 51; s++) r.packet(s);
  assert.is(r.pending, 1, 'seq 1 is 50 behind 51: still asked for');
  r.packet(52);
  assert.is(r.pending, 0, '51 behind: given up');
  assert.is(r.stats.givenUp, 1);
});

test('a hostile stream of random numbers keeps the list bounded by maxAge', () => {
  const r = new NackRequester({ maxAge: 300, maxGap: 200 });
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    r.packet(x & 0xffff);
    assert.ok(r.pending <= 300, `pending ${r.pending}`);
  }
});

test('due() with a limit returns the oldest, and the rest stay due', () => {
  const r = new NackRequester();
  run(r, [0, 10]);
  assert.equal(r.due(0, 4), [1, 2, 3, 4]);
  assert.equal(r.due(0, 4), [5, 6, 7, 8]);
  assert.equal(r.due(0), [9]);
});

test.run();
