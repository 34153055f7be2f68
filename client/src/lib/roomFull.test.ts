import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRoomFull } from './roomFull.ts';

test('parseRoomFull() reads the peer-to-peer cap', () => {
  assert.equal(parseRoomFull('this meeting is limited to 4 participants in peer-to-peer mode', 4), { limit: 4, peerToPeer: true });
});

test('parseRoomFull() reads the room limit with the relay on', () => {
  assert.equal(parseRoomFull('this meeting is full (150 participants)', 4), { limit: 150, peerToPeer: false });
});

test('parseRoomFull() without a message falls back to the mesh cap; an unknown one has no limit', () => {
  assert.equal(parseRoomFull(undefined, 4), { limit: 4, peerToPeer: true });
  assert.equal(parseRoomFull('full', 4), { limit: 4, peerToPeer: false });
});

test.run();
