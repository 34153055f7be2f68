import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { chatMessages, sendChat } from './chat.ts';
import { handQueue, isHandRaised, lowerHand, raiseHand } from './hands.ts';
import { pruneReactions, REACTION_EMOJIS, reactionList, sendReaction } from './reactions.ts';
import { handsArray, ROOM_KEYS, type Participant } from './schema.ts';
import { createNetwork, mulberry32, pick, randomInt, syncDocs } from './testing/network.ts';

const PEERS = 5;
const SEEDS = 20;
const OPERATIONS = 200;
// Fewer participants than docs: some participants have two sessions that act concurrently.
const PARTICIPANTS: Participant[] = [
  { participantId: 'p-ada', name: 'Ada' },
  { participantId: 'p-bob', name: 'Bob' },
  { participantId: 'p-cyd', name: 'Cyd' },
];
const GARBAGE: unknown[] = [null, 42, 'text', [1], { id: 'g' }, { participantId: 'p-ada', ts: 'x' }];

function newDocs(): Y.Doc[] {
  return Array.from({ length: PEERS }, (_, index) => {
    const doc = new Y.Doc();
    doc.clientID = index + 1; // deterministic, so a failing seed replays exactly
    return doc;
  });
}

function runSeed(seed: number): Y.Doc[] {
  const random = mulberry32(seed);
  const docs = newDocs();
  const network = createNetwork(docs, random);
  const skews = docs.map(() => randomInt(random, -3000, 3000));
  let clock = 1_700_000_000_000;
  for (let op = 0; op < OPERATIONS; op += 1) {
    clock += randomInt(random, 0, 2000);
    const index = randomInt(random, 0, PEERS - 1);
    const doc = docs[index] as Y.Doc;
    const self = PARTICIPANTS[index % PARTICIPANTS.length] as Participant;
    const now = clock + (skews[index] ?? 0);
    const id = `s${seed}-op${op}`;
    const roll = random();
    if (roll < 0.3) sendChat(doc, self, `message ${op}`, now, id);
    else if (roll < 0.45) raiseHand(doc, self, now);
    else if (roll < 0.55) lowerHand(doc, self.participantId);
    else if (roll < 0.6) lowerHand(doc, pick(random, PARTICIPANTS).participantId); // the relay, on leave
    else if (roll < 0.85) sendReaction(doc, self, pick(random, [...REACTION_EMOJIS, '💩']), now, id);
    else if (roll < 0.93) pruneReactions(doc, now, randomInt(random, 1000, 20_000));
    else doc.getArray<unknown>(pick(random, [ROOM_KEYS.chat, ROOM_KEYS.hands, ROOM_KEYS.reactions])).push([pick(random, GARBAGE)]);
    for (let deliveries = randomInt(random, 0, 4); deliveries > 0; deliveries -= 1) network.step();
  }
  network.flush();
  network.close();
  return docs;
}

test(`docs converge over a network that delays, reorders and duplicates updates (${SEEDS} seeds)`, () => {
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    const [first, ...rest] = runSeed(seed);
    if (!first) throw new Error('no docs');
    assert.ok(chatMessages(first).length > 0, `seed ${seed}: the run wrote chat messages`);
    for (const [offset, doc] of rest.entries()) {
      const which = `seed ${seed}, doc ${offset + 1} vs doc 0`;
      assert.equal(chatMessages(doc), chatMessages(first), `${which}: chatMessages`);
      assert.equal(handQueue(doc), handQueue(first), `${which}: handQueue`);
      assert.equal(reactionList(doc), reactionList(first), `${which}: reactions`);
      assert.equal([...Y.encodeStateVector(doc)], [...Y.encodeStateVector(first)], `${which}: state vector`);
    }
  }
});

test('two sessions raising the same hand concurrently show one hand after sync', () => {
  const [tab1, tab2, other] = newDocs() as [Y.Doc, Y.Doc, Y.Doc];
  const ada = PARTICIPANTS[0] as Participant;
  assert.ok(raiseHand(tab1, ada, 1000));
  assert.ok(raiseHand(tab2, ada, 1001));
  syncDocs(tab1, tab2, other);
  for (const doc of [tab1, tab2, other]) {
    assert.is(handsArray(doc).length, 2); // both entries survive the merge…
    assert.equal(handQueue(doc).map((h) => h.participantId), ['p-ada']); // …but the queue shows one
  }
  assert.equal(handQueue(tab1), handQueue(tab2));
});

test('lowering a hand raised concurrently from two sessions clears it everywhere', () => {
  const [tab1, tab2, other] = newDocs() as [Y.Doc, Y.Doc, Y.Doc];
  const ada = PARTICIPANTS[0] as Participant;
  raiseHand(tab1, ada, 1000);
  raiseHand(tab2, ada, 1001);
  syncDocs(tab1, tab2, other);
  assert.ok(lowerHand(other, 'p-ada'));
  syncDocs(tab1, tab2, other);
  for (const doc of [tab1, tab2, other]) assert.not.ok(isHandRaised(doc, 'p-ada'));
});

test('mulberry32() replays the same sequence for the same seed', () => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const c = mulberry32(8);
  const first = [a(), a(), a()];
  assert.equal([b(), b(), b()], first);
  assert.not.equal([c(), c(), c()], first);
  assert.ok(first.every((x) => x >= 0 && x < 1));
});

test.run();
