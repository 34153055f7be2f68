import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRelayRecovery as policy, freshHealth, observe, restartAnswered, restarted, type RelayHealth } from './relayRecovery.ts';

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

test('decide() waits 5 s from the relay\'s answer to a restart, then rebuilds; a restart that connects ends it', () => {
  const restarting = restartAnswered(restarted(observe(connected, 'disconnected', 1000), 3000), 3000);
  assert.equal(policy.decide(restarting, 3000), { action: 'none', recheckAt: 8000 });
  assert.equal(policy.decide(observe(restarting, 'connecting', 3200), 7999), { action: 'none', recheckAt: 8000 });
  assert.equal(policy.decide(observe(restarting, 'failed', 5000), 6000), { action: 'none', recheckAt: 8000 }, 'a failure while restarting waits for the restart');
  assert.equal(policy.decide(restarting, 8000), { action: 'rebuild', recheckAt: null });
  const back = observe(restarting, 'connected', 3400);
  assert.equal([back.troubleSince, back.restartedAt, back.restartAnsweredAt], [null, null, null]);
  assert.is(policy.decide(back, 9000).action, 'none');
});

test('decide() neither rebuilds nor restarts again while the restart is unanswered (the signalling is cut off too)', () => {
  const asked = restarted(observe(connected, 'disconnected', 1000), 3000);
  assert.equal(policy.decide(asked, 3000), { action: 'none', recheckAt: null });
  assert.equal(policy.decide(asked, 60_000), { action: 'none', recheckAt: null }, 'however long the outage');
  assert.equal(policy.decide(observe(asked, 'failed', 40_000), 40_000), { action: 'none', recheckAt: null });
  // Answered 10 s late, the 5 s count from then.
  assert.equal(policy.decide(restartAnswered(asked, 13_000), 13_000), { action: 'none', recheckAt: 18_000 });
  assert.equal(policy.decide(restartAnswered(asked, 13_000), 18_000), { action: 'rebuild', recheckAt: null });
});

test('restartAnswered() is a no-op without a restart under way (ICE came back by itself before the answer)', () => {
  const back = observe(restarted(observe(connected, 'disconnected', 1000), 3000), 'connected', 9000);
  assert.equal(restartAnswered(back, 9500), back);
});

test.run();
