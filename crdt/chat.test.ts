import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { chatMessages, countUnread, sendChat } from './chat.ts';
import { chatArray, MAX_CHAT_TEXT, MAX_NAME, ROOM_KEYS, type ChatMessage } from './schema.ts';
import { syncDocs } from './testing/network.ts';

const ada = { participantId: 'p-ada', name: 'Ada' };
const bob = { participantId: 'p-bob', name: 'Bob' };

test('sendChat() trims the text and appends a plain object', () => {
  const doc = new Y.Doc();
  const sent = sendChat(doc, ada, '  hello  ', 1000, 'm1');
  assert.equal(sent, { id: 'm1', participantId: 'p-ada', name: 'Ada', text: 'hello', ts: 1000 });
  const raw: unknown = chatArray(doc).get(0);
  assert.ok(raw !== null && typeof raw === 'object' && Object.getPrototypeOf(raw) === Object.prototype);
  assert.not.ok(raw instanceof Y.AbstractType);
  assert.equal(chatMessages(doc), [sent]);
});

test('sendChat() writes nothing and returns null for empty or blank text', () => {
  const doc = new Y.Doc();
  assert.is(sendChat(doc, ada, '', 1000), null);
  assert.is(sendChat(doc, ada, ' \n\t ', 1000), null);
  assert.is(chatArray(doc).length, 0);
});

test('sendChat() accepts MAX_CHAT_TEXT characters and rejects one more', () => {
  const doc = new Y.Doc();
  assert.ok(sendChat(doc, ada, 'x'.repeat(MAX_CHAT_TEXT), 1000));
  assert.is(sendChat(doc, ada, 'x'.repeat(MAX_CHAT_TEXT + 1), 1000), null);
  assert.is(chatArray(doc).length, 1);
});

test('sendChat() clamps the name to MAX_NAME without splitting an emoji', () => {
  const doc = new Y.Doc();
  const sent = sendChat(doc, { participantId: 'p', name: 'a' + '😀'.repeat(40) }, 'hi', 1000);
  assert.ok(sent && sent.name.length <= MAX_NAME);
  assert.ok(sent && sent.name.endsWith('😀'));
  assert.is(chatMessages(doc).length, 1);
});

test('sendChat() returns null for a participant id no reader would accept', () => {
  const doc = new Y.Doc();
  assert.is(sendChat(doc, { participantId: '', name: 'x' }, 'hi', 1000), null);
  assert.is(chatArray(doc).length, 0);
});

test('a message reads the same on the sender and on a peer, lone surrogates included', () => {
  const sender = new Y.Doc();
  const peer = new Y.Doc();
  sendChat(sender, { participantId: 'p', name: 'Zoë\uD83D' }, 'broken \uDE00 pair', 1000, 'm1');
  syncDocs(sender, peer);
  assert.equal(chatMessages(peer), chatMessages(sender));
  assert.is(chatMessages(sender)[0]?.text, 'broken \uFFFD pair');
});

test('chatMessages() keeps array order, not timestamp order', () => {
  const doc = new Y.Doc();
  sendChat(doc, ada, 'first', 5000, 'm1');
  sendChat(doc, bob, 'second', 1000, 'm2');
  assert.equal(chatMessages(doc).map((m) => m.id), ['m1', 'm2']);
});

test('chatMessages() skips malformed entries without throwing', () => {
  const doc = new Y.Doc();
  const raw = doc.getArray<unknown>(ROOM_KEYS.chat);
  sendChat(doc, ada, 'ok', 1000, 'good');
  raw.push([42, 'text', null, true, [1, 2], new Uint8Array([1])]);
  raw.push([{ id: 'a', participantId: 'p', name: 'n', text: 'hi' }]); // no ts
  raw.push([{ id: 'b', participantId: 'p', name: 'n', text: 'hi', ts: 'yesterday' }]);
  raw.push([{ id: 'c', participantId: 'p', name: 'n', text: '', ts: 1 }]);
  raw.push([{ id: 'd', participantId: 'p', name: 'n', text: 'x'.repeat(MAX_CHAT_TEXT + 1), ts: 1 }]);
  raw.push([{ id: 'e', participantId: 'p', name: 'n'.repeat(MAX_NAME + 1), text: 'hi', ts: 1 }]);
  raw.push([{ id: 'f', participantId: 'p', name: 'n', text: 'hi', ts: Number.NaN }]);
  raw.push([{ id: 7, participantId: 'p', name: 'n', text: 'hi', ts: 1 }]);
  raw.push([new Y.Map()]);
  assert.equal(chatMessages(doc).map((m) => m.id), ['good']);
});

test('chatMessages() ignores fields smuggled through a __proto__ key', () => {
  const sender = new Y.Doc();
  const peer = new Y.Doc();
  const evil: unknown = JSON.parse('{"__proto__": {"id": "x", "participantId": "p", "name": "n", "text": "hi", "ts": 1}}');
  sender.getArray<unknown>(ROOM_KEYS.chat).push([evil]);
  syncDocs(sender, peer);
  assert.equal(chatMessages(peer), []);
});

test('chatMessages() shows a replayed id once, at its first position', () => {
  const doc = new Y.Doc();
  sendChat(doc, ada, 'one', 1000, 'm1');
  sendChat(doc, bob, 'two', 2000, 'm2');
  doc.getArray<unknown>(ROOM_KEYS.chat).push([{ id: 'm1', participantId: 'p-eve', name: 'Eve', text: 'fake', ts: 3000 }]);
  assert.equal(chatMessages(doc).map((m) => m.text), ['one', 'two']);
});

test('chatMessages() returns copies the caller cannot use to mutate the document', () => {
  const doc = new Y.Doc();
  sendChat(doc, ada, 'hello', 1000, 'm1');
  const [first] = chatMessages(doc);
  if (first) first.text = 'changed';
  assert.is(chatMessages(doc)[0]?.text, 'hello');
});

test('countUnread() counts messages from others newer than lastReadTs', () => {
  const messages: ChatMessage[] = [
    { id: '1', participantId: 'p-bob', name: 'Bob', text: 'old', ts: 1000 },
    { id: '2', participantId: 'p-bob', name: 'Bob', text: 'at the mark', ts: 2000 },
    { id: '3', participantId: 'p-ada', name: 'Ada', text: 'mine', ts: 3000 },
    { id: '4', participantId: 'p-bob', name: 'Bob', text: 'new', ts: 4000 },
  ];
  assert.is(countUnread(messages, 2000, 'p-ada'), 1);
  assert.is(countUnread(messages, 0, 'p-ada'), 3);
  assert.is(countUnread([], 0, 'p-ada'), 0);
});

test.run();
