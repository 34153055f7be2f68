import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  freshReactions,
  observeNewReactions,
  pruneReactions,
  REACTION_EMOJIS,
  reactionList,
  sendReaction,
} from './reactions.ts';
import { reactionsArray, ROOM_KEYS, type Reaction } from './schema.ts';
import { syncDocs } from './testing/network.ts';

const ada = { participantId: 'p-ada', name: 'Ada' };
const at = (ts: number, id = `r${ts}`): Reaction => ({ id, participantId: 'p', name: 'n', emoji: '👍', ts });

test('sendReaction() appends a reaction for each emoji of REACTION_EMOJIS', () => {
  const doc = new Y.Doc();
  for (const emoji of REACTION_EMOJIS) assert.ok(sendReaction(doc, ada, emoji, 1000));
  assert.equal(reactionList(doc).map((r) => r.emoji), [...REACTION_EMOJIS]);
});

test('sendReaction() returns null and writes nothing for an emoji not in the list', () => {
  const doc = new Y.Doc();
  assert.is(sendReaction(doc, ada, '💩', 1000), null);
  assert.is(sendReaction(doc, ada, '<img src=x>', 1000), null);
  assert.is(reactionsArray(doc).length, 0);
});

test('reactionList() skips malformed entries and replayed ids', () => {
  const doc = new Y.Doc();
  sendReaction(doc, ada, '👍', 1000, 'r1');
  const raw = doc.getArray<unknown>(ROOM_KEYS.reactions);
  raw.push([null, 3, '👍', { ...at(1, 'r2'), emoji: '💩' }, { ...at(1, 'r3'), ts: '1' }, { ...at(1, 'r1'), emoji: '🎉' }]);
  assert.equal(reactionList(doc).map((r) => r.id), ['r1']);
});

test('freshReactions() keeps the window and a little future skew, bounds included', () => {
  const now = 100_000;
  const list = [at(now - 8001), at(now - 8000), at(now), at(now + 5000), at(now + 5001)];
  assert.equal(freshReactions(list, now).map((r) => r.ts), [now - 8000, now, now + 5000]);
  assert.equal(freshReactions(list, now, 1000).map((r) => r.ts), [now, now + 5000]);
});

test('pruneReactions() deletes old and malformed entries and returns how many', () => {
  const doc = new Y.Doc();
  const now = 1_000_000;
  const raw = doc.getArray<unknown>(ROOM_KEYS.reactions);
  raw.push([at(now - 70_000), 'junk', at(now - 60_000), at(now - 1), { id: 'x' }, at(now - 60_001), at(now)]);
  let transactions = 0;
  doc.on('afterTransaction', () => (transactions += 1));
  assert.is(pruneReactions(doc, now), 4);
  assert.is(transactions, 1);
  assert.equal(reactionList(doc).map((r) => r.ts), [now - 60_000, now - 1, now]);
});

test('pruneReactions() also deletes entries stamped far in the future', () => {
  const doc = new Y.Doc();
  const now = 1_000_000;
  doc.getArray<unknown>(ROOM_KEYS.reactions).push([at(now + 10), at(now + 60_001), at(Number.MAX_SAFE_INTEGER)]);
  assert.is(pruneReactions(doc, now), 2);
  assert.is(pruneReactions(doc, now, 5), 1);
  assert.is(reactionsArray(doc).length, 0);
});

test('pruneReactions() returns 0 and writes nothing when nothing is stale', () => {
  const doc = new Y.Doc();
  sendReaction(doc, ada, '👋', 1000);
  let updates = 0;
  doc.on('update', () => (updates += 1));
  assert.is(pruneReactions(doc, 2000), 0);
  assert.is(updates, 0);
});

test('observeNewReactions() reports local and remote reactions inserted after the call', () => {
  const doc = new Y.Doc();
  const peer = new Y.Doc();
  sendReaction(doc, ada, '👍', 1000, 'before');
  const seen: string[] = [];
  const unsubscribe = observeNewReactions(doc, (r) => seen.push(r.id));
  doc.transact(() => {
    sendReaction(doc, ada, '🎉', 2000, 'local-1');
    sendReaction(doc, ada, '👏', 2000, 'local-2');
  });
  sendReaction(peer, { participantId: 'p-bob', name: 'Bob' }, '❤️', 2500, 'remote');
  syncDocs(doc, peer);
  assert.equal(seen, ['local-1', 'local-2', 'remote']);
  unsubscribe();
  sendReaction(doc, ada, '👍', 3000, 'after');
  assert.equal(seen, ['local-1', 'local-2', 'remote']);
});

test('observeNewReactions() skips malformed inserts and ignores deletions', () => {
  const doc = new Y.Doc();
  const seen: Reaction[] = [];
  observeNewReactions(doc, (r) => seen.push(r));
  doc.getArray<unknown>(ROOM_KEYS.reactions).push(['👍', { ...at(1), emoji: '💩' }, at(5, 'ok')]);
  pruneReactions(doc, 10);
  assert.equal(seen, [at(5, 'ok')]);
});

test.run();
