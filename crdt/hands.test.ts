import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { handQueue, isHandRaised, lowerHand, raiseHand } from './hands.ts';
import { handsArray, ROOM_KEYS } from './schema.ts';

const ada = { participantId: 'p-ada', name: 'Ada' };
const bob = { participantId: 'p-bob', name: 'Bob' };

test('raiseHand() adds the participant to the queue', () => {
  const doc = new Y.Doc();
  assert.ok(raiseHand(doc, ada, 1000));
  assert.equal(handQueue(doc), [{ participantId: 'p-ada', name: 'Ada', ts: 1000 }]);
  assert.ok(isHandRaised(doc, 'p-ada'));
  assert.not.ok(isHandRaised(doc, 'p-bob'));
});

test('raiseHand() is idempotent: a second raise writes nothing', () => {
  const doc = new Y.Doc();
  raiseHand(doc, ada, 1000);
  assert.not.ok(raiseHand(doc, ada, 2000));
  assert.is(handsArray(doc).length, 1);
  assert.is(handQueue(doc)[0]?.ts, 1000);
});

test('handQueue() lists hands in raise order, whatever their timestamps say', () => {
  const doc = new Y.Doc();
  raiseHand(doc, ada, 9000);
  raiseHand(doc, bob, 1000);
  assert.equal(handQueue(doc).map((h) => h.participantId), ['p-ada', 'p-bob']);
});

test('lowerHand() removes every entry of that participant, in one transaction', () => {
  const doc = new Y.Doc();
  const raw = doc.getArray<unknown>(ROOM_KEYS.hands);
  raw.push([{ ...ada, ts: 1 }, { ...bob, ts: 2 }, { ...ada, ts: 3 }, { participantId: 'p-ada', ts: 'bad' }, { ...ada, ts: 4 }]);
  let transactions = 0;
  doc.on('afterTransaction', () => (transactions += 1));
  assert.ok(lowerHand(doc, 'p-ada'));
  assert.is(transactions, 1);
  assert.equal(raw.toArray(), [{ ...bob, ts: 2 }]);
  assert.not.ok(isHandRaised(doc, 'p-ada'));
});

test('lowerHand() returns false and leaves the queue alone when the hand is down', () => {
  const doc = new Y.Doc();
  raiseHand(doc, bob, 1000);
  assert.not.ok(lowerHand(doc, 'p-ada'));
  assert.is(handsArray(doc).length, 1);
});

test('a lowered hand can be raised again and goes to the back of the queue', () => {
  const doc = new Y.Doc();
  raiseHand(doc, ada, 1000);
  raiseHand(doc, bob, 2000);
  lowerHand(doc, 'p-ada');
  assert.ok(raiseHand(doc, ada, 3000));
  assert.equal(handQueue(doc).map((h) => h.participantId), ['p-bob', 'p-ada']);
});

test('handQueue() keeps the first entry of a participant listed twice', () => {
  const doc = new Y.Doc();
  doc.getArray<unknown>(ROOM_KEYS.hands).push([{ ...ada, ts: 1 }, { ...bob, ts: 2 }, { ...ada, name: 'Ada 2', ts: 3 }]);
  assert.equal(handQueue(doc), [{ ...ada, ts: 1 }, { ...bob, ts: 2 }]);
});

test('handQueue() and isHandRaised() skip malformed entries without throwing', () => {
  const doc = new Y.Doc();
  const raw = doc.getArray<unknown>(ROOM_KEYS.hands);
  raw.push([0, 'p-ada', null, ['p-ada'], { participantId: 'p-ada' }, { participantId: 'p-ada', name: 5, ts: 1 }]);
  raw.push([{ participantId: '', name: 'x', ts: 1 }, { participantId: 'p-ada', name: 'Ada', ts: Infinity }, new Y.Array()]);
  raiseHand(doc, bob, 1000);
  assert.equal(handQueue(doc), [{ ...bob, ts: 1000 }]);
  assert.not.ok(isHandRaised(doc, 'p-ada'));
});

test('raiseHand() writes a fresh entry when only malformed ones name the participant', () => {
  const doc = new Y.Doc();
  doc.getArray<unknown>(ROOM_KEYS.hands).push([{ participantId: 'p-ada', ts: 'bad' }]);
  assert.ok(raiseHand(doc, ada, 1000));
  assert.equal(handQueue(doc), [{ ...ada, ts: 1000 }]);
});

test.run();
