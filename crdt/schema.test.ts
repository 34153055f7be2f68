import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { newId } from './ids.ts';
import { chatArray, handsArray, isAwarenessUser, reactionsArray, ROOM_KEYS, type AwarenessUser } from './schema.ts';
import { clampName } from './text.ts';

const user: AwarenessUser = {
  participantId: 'p-ada',
  sessionId: 'session-1234',
  name: 'Ada',
  color: '#7c3aed',
  audio: true,
  video: false,
  screen: false,
};

test('isAwarenessUser() accepts a well-formed user', () => {
  assert.ok(isAwarenessUser(user));
});

test('isAwarenessUser() rejects garbage without throwing', () => {
  for (const bad of [null, undefined, 0, 'user', [], [user], { ...user, audio: 'yes' }, { ...user, sessionId: '' }]) {
    assert.not.ok(isAwarenessUser(bad), JSON.stringify(bad));
  }
  const { screen: _screen, ...missingScreen } = user;
  assert.not.ok(isAwarenessUser(missingScreen));
  assert.not.ok(isAwarenessUser({ ...user, color: 'x'.repeat(100) }));
  assert.not.ok(isAwarenessUser({ ...user, name: 'x'.repeat(100) }));
});

test('the accessors return the arrays named by ROOM_KEYS', () => {
  const doc = new Y.Doc();
  assert.is(chatArray(doc), doc.getArray(ROOM_KEYS.chat));
  assert.is(handsArray(doc), doc.getArray(ROOM_KEYS.hands));
  assert.is(reactionsArray(doc), doc.getArray(ROOM_KEYS.reactions));
});

test('newId() returns 22 base64url characters, different each time', () => {
  const ids = new Set(Array.from({ length: 1000 }, () => newId()));
  assert.is(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
});

test('clampName() trims and cuts by code point', () => {
  assert.is(clampName('  Ada  '), 'Ada');
  assert.is(clampName('x'.repeat(63) + '😀'), 'x'.repeat(63));
  assert.is(clampName('lone \uD83D'), 'lone \uFFFD');
});

test.run();
