import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOM_ID_BITS, isRoomId, newRoomId } from './room-id.ts';
import { RoomStore } from './room-store.ts';
import { openDb } from '../db.ts';

test('room ids carry at least 64 bits and read as three groups of five letters', () => {
  assert.ok(ROOM_ID_BITS >= 64, `${ROOM_ID_BITS} bits`);
  const ids = new Set(Array.from({ length: 1000 }, () => newRoomId()));
  assert.is(ids.size, 1000);
  for (const id of ids) assert.ok(isRoomId(id), id);
});

test('isRoomId() refuses confusable letters, other shapes and path tricks', () => {
  for (const bad of ['abcde-fghjk-mnpqi', 'abcde-fghjk-mnpq', 'ABCDE-FGHJK-MNPQR', '../etc/passwd', 'abcde_fghjk_mnpqr', '']) {
    assert.not.ok(isRoomId(bad), bad);
  }
});

test('RoomStore creates a room once and finds it again, retrying on a collision', () => {
  const store = new RoomStore(openDb(':memory:'));
  const ids = ['aaaaa-aaaaa-aaaaa', 'aaaaa-aaaaa-aaaaa', 'bbbbb-bbbbb-bbbbb'];
  const a = store.create(1, () => ids.shift()!);
  const b = store.create(2, () => ids.shift()!);
  assert.is(a.id, 'aaaaa-aaaaa-aaaaa');
  assert.is(b.id, 'bbbbb-bbbbb-bbbbb');
  assert.equal(store.get(a.id), { id: a.id, createdAt: 1 });
  assert.is(store.get('ccccc-ccccc-ccccc'), undefined);
});

test.run();
