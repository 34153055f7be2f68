import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONNECT_TIMEOUT_MS, PROBE_TIMEOUT_MS, connectTimeout, mayAttemptEarly, networkChanged, probeUnanswered } from './socketProbe.ts';

test('no probe pending: never unanswered, however long the silence', () => {
  assert.not.ok(probeUnanswered({ probeSentAt: null, lastHeardAt: 0 }, 60_000));
});

test('a probe is unanswered only once its timeout passed with nothing heard since it was sent', () => {
  const s = { probeSentAt: 10_000, lastHeardAt: 9_000 };
  assert.not.ok(probeUnanswered(s, 10_000 + PROBE_TIMEOUT_MS - 1));
  assert.ok(probeUnanswered(s, 10_000 + PROBE_TIMEOUT_MS));
});

test('anything heard after the probe answers it (a pong, or any other message)', () => {
  assert.not.ok(probeUnanswered({ probeSentAt: 10_000, lastHeardAt: 10_050 }, 20_000));
});

test('while reconnecting, a probe starts an attempt early at most every PROBE_TIMEOUT_MS', () => {
  assert.not.ok(mayAttemptEarly(5_000, 5_000 + PROBE_TIMEOUT_MS - 1));
  assert.ok(mayAttemptEarly(5_000, 5_000 + PROBE_TIMEOUT_MS));
});

test('a connect may take 3 s, doubling with each that timed out in a row, up to 30 s', () => {
  assert.equal([0, 1, 2, 3, 4, 50].map(connectTimeout), [CONNECT_TIMEOUT_MS, 6000, 12_000, 24_000, 30_000, 30_000]);
});

test('probe when a connection loses its network or gets it back, not on the way up or while checking', () => {
  assert.ok(networkChanged('disconnected', false));
  assert.ok(networkChanged('failed', true));
  assert.ok(networkChanged('connected', true));
  assert.not.ok(networkChanged('connected', false), 'a first connect is no change of network');
  assert.not.ok(networkChanged('checking', true));
  assert.not.ok(networkChanged('new', false));
});

test.run();
