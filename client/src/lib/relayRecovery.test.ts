import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRelayRecovery as policy, freshHealth, observe, type RelayHealth } from './relayRecovery.ts';

const connected = observe(freshHealth(), 'connected', 0);

test('decide() leaves a healthy or closed connection alone', () => {
  assert.equal(policy.decide(connected, 10_000), { action: 'none', recheckAt: null });
  assert.equal(policy.decide(observe(freshHealth(), 'connecting', 0), 10_000), { action: 'none', recheckAt: null });
  assert.equal(policy.decide(observe(connected, 'closed', 5), 10_000), { action: 'none', recheckAt: null });
});

test('decide() restarts ICE after 2 s of disconnected, and says when to look again before that', () => {
  const h = observe(connected, 'disconnected', 1000);
  assert.is(h.troubleSince, 1000);
  assert.equal(policy.decide(h, 1500), { action: 'none', recheckAt: 3000 });
  assert.equal(policy.decide(h, 3000), { action: 'restart-ice', recheckAt: null });
  // Coming back in time ends the trouble.
  assert.equal(observe(h, 'connected', 2500), connected);
});

test('decide() restarts ICE at once when a connection that worked fails', () => {
  assert.is(policy.decide(observe(connected, 'failed', 1000), 1000).action, 'restart-ice');
  // disconnected → failed keeps the trouble's start.
  assert.is(observe(observe(connected, 'disconnected', 1000), 'failed', 4000).troubleSince, 1000);
});

test('decide() rebuilds a connection that failed before it ever connected (nothing to restart)', () => {
  const h = observe(observe(freshHealth(), 'connecting', 0), 'failed', 900);
  assert.is(h.troubleSince, null);
  assert.equal(policy.decide(h, 900), { action: 'rebuild', recheckAt: null });
});

test('decide() waits 5 s for a restart, then rebuilds; a restart that connects ends it', () => {
  const restarting: RelayHealth = { ...observe(connected, 'disconnected', 1000), restartedAt: 3000 };
  assert.equal(policy.decide(restarting, 3000), { action: 'none', recheckAt: 8000 });
  assert.equal(policy.decide(observe(restarting, 'connecting', 3200), 7999), { action: 'none', recheckAt: 8000 });
  assert.equal(policy.decide(observe(restarting, 'failed', 5000), 6000), { action: 'none', recheckAt: 8000 }, 'a failure while restarting waits for the restart');
  assert.equal(policy.decide(restarting, 8000), { action: 'rebuild', recheckAt: null });
  const back = observe(restarting, 'connected', 3400);
  assert.equal([back.troubleSince, back.restartedAt], [null, null]);
  assert.is(policy.decide(back, 9000).action, 'none');
});

test.run();
