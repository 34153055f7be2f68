import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultReconnectPolicy as policy, type LinkHealth } from './reconnectPolicy.ts';

const base: LinkHealth = { ice: 'connected', initiator: true, troubleSince: null, lastRestartAt: null, remotePresent: true };

test('decide() leaves healthy links alone', () => {
  assert.is(policy.decide(base, 10_000), 'none');
  assert.is(policy.decide({ ...base, ice: 'checking' }, 10_000), 'none');
});

test('decide() restarts ICE only after 3 s of disconnected, on the initiator', () => {
  const link: LinkHealth = { ...base, ice: 'disconnected', troubleSince: 1000 };
  assert.is(policy.decide(link, 3999), 'none');
  assert.is(policy.decide(link, 4000), 'restart-ice');
  assert.is(policy.decide({ ...link, initiator: false }, 10_000), 'none');
});

test('decide() does not restart again while a restart is in flight', () => {
  const link: LinkHealth = { ...base, ice: 'disconnected', troubleSince: 1000, lastRestartAt: 4000 };
  assert.is(policy.decide(link, 6000), 'none');
  assert.is(policy.decide(link, 12_000), 'restart-ice');
});

test('decide() recreates a destroyed link on the initiator when the remote is still present', () => {
  const link: LinkHealth = { ...base, ice: 'destroyed', troubleSince: 1000 };
  assert.is(policy.decide(link, 1200), 'none', 'grace for a peer-left to arrive');
  assert.is(policy.decide(link, 2500), 'recreate');
  assert.is(policy.decide({ ...link, initiator: false }, 5000), 'none', 'the other side offers');
});

test('decide() forgets a destroyed link whose remote is gone', () => {
  const link: LinkHealth = { ...base, ice: 'destroyed', troubleSince: 1000, remotePresent: false };
  assert.is(policy.decide(link, 5000), 'none');
  assert.is(policy.decide(link, 16_000), 'forget');
});

test.run();
