import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { thresholdPolicy } from './policy.ts';
import type { RoomObservation } from './policy.ts';

const policy = thresholdPolicy({ meshMax: 4, holdMs: 10_000 });
const room = (o: Partial<RoomObservation>): RoomObservation => ({ participants: 2, serverMedia: false, path: 'mesh', warm: false, smallSince: null, coolSince: null, ...o });

test('decide() keeps a small room in mesh', () => {
  assert.is(policy.decide(room({ participants: 3 }), 0), 'stay');
});

test('decide() warms the relay when the room reaches MESH_MAX, and escalates past it', () => {
  assert.is(policy.decide(room({ participants: 4 }), 0), 'warm');
  assert.is(policy.decide(room({ participants: 4, warm: true }), 0), 'stay');
  assert.is(policy.decide(room({ participants: 5, warm: true }), 0), 'escalate');
  assert.is(policy.decide(room({ participants: 5 }), 0), 'escalate', 'even without a warm-up');
});

test('decide() escalates a small room as soon as server-side media is needed', () => {
  assert.is(policy.decide(room({ participants: 2, serverMedia: true }), 0), 'escalate');
});

test('decide() goes back to mesh only after the room stayed small for the hold time', () => {
  const small = room({ path: 'relay', participants: 3, smallSince: 1000 });
  assert.is(policy.decide(small, 10_999), 'stay');
  assert.is(policy.decide(small, 11_000), 'de-escalate');
  assert.is(policy.decide({ ...small, serverMedia: true }, 60_000), 'stay', 'not while recording');
  assert.is(policy.decide(room({ path: 'relay', participants: 6, smallSince: null }), 60_000), 'stay');
});

test('decide() drops the warm-up after the room stayed below MESH_MAX for the hold time', () => {
  const cooling = room({ participants: 3, warm: true, coolSince: 0 });
  assert.is(policy.decide(cooling, 9_999), 'stay');
  assert.is(policy.decide(cooling, 10_000), 'cool');
});

test.run();
