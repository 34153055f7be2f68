import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isReusable, readCachedJoin, REUSE_MARGIN_MS } from './joinCache.ts';

const entry = { participantId: 'p1', token: 't', expiresAt: 1_000_000, role: 'guest', iceServers: [], meshMax: 4, roomMax: 150, name: 'Ada' };

test('readCachedJoin() round-trips a stored join and rejects junk', () => {
  assert.equal(readCachedJoin(JSON.stringify(entry)), entry);
  assert.is(readCachedJoin(null), null);
  assert.is(readCachedJoin('{'), null);
  assert.is(readCachedJoin(JSON.stringify({ token: 1 })), null);
});

test('isReusable() keeps a token only while more than 5 min are left, for the same name', () => {
  const cached = readCachedJoin(JSON.stringify(entry));
  assert.ok(isReusable(cached, 'Ada', entry.expiresAt - REUSE_MARGIN_MS - 1));
  assert.not.ok(isReusable(cached, 'Ada', entry.expiresAt - REUSE_MARGIN_MS));
  assert.not.ok(isReusable(cached, 'Bob', 0));
  assert.not.ok(isReusable(null, 'Ada', 0));
});

test.run();
