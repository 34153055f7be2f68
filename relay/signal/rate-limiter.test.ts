import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RateLimiter } from './rate-limiter.ts';

test('RateLimiter allows a burst, then the rate, measured on the time passed in', () => {
  const r = new RateLimiter(10, 5);
  let ok = 0;
  for (let i = 0; i < 20; i++) if (r.take(0)) ok++;
  assert.is(ok, 5);
  assert.not.ok(r.take(50));
  assert.ok(r.take(100), 'one token back after 100 ms at 10/s');
  assert.not.ok(r.take(100));
});

test.run();
