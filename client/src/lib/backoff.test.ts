import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay } from './backoff.ts';

test('backoffDelay() starts at 0.5 s and doubles up to 5 s', () => {
  assert.equal([0, 1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n)), [500, 1000, 2000, 4000, 5000, 5000, 5000]);
});

test('backoffDelay() honours custom bounds', () => {
  assert.is(backoffDelay(2, { initialMs: 100, maxMs: 300 }), 300);
  assert.is(backoffDelay(-1, { initialMs: 100, maxMs: 300 }), 100);
});

test.run();
