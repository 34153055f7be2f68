/**
 * The room document over `/yjs/<room>`: a stock y-websocket provider syncs with a valid join token and
 * is refused otherwise; documents survive a relay restart (the real SQLite file in DATA_DIR); the relay
 * lowers a participant's raised hand when that participant leaves the signalling room.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TokenSigner } from '../auth/tokens.ts';
import { chatMessages, handQueue, raiseHand, sendChat } from '../../crdt/index.ts';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SignalClient, catchUncaught, createRoom, http, joinRoom, makeTempDir, newSessionId, removeDir, signalUrl, sleep, startTestRelay, waitUntil } from './harness.ts';
import type { Joined, TestRelay } from './harness.ts';
import { yjsClient } from './yjs-client.ts';
import type { YjsClient } from './yjs-client.ts';

const SECRET = 'yjs-int-test-secret-0123456789';
let relay: TestRelay;
const clients: YjsClient[] = [];
const sockets: SignalClient[] = [];

function open(r: TestRelay, roomId: string, token: string): YjsClient {
  const c = yjsClient(r.wsBase, roomId, token);
  clients.push(c);
  return c;
}

const who = (j: Joined) => ({ participantId: j.participantId, name: j.name });

/** Flips one character in the middle of the signature, so the token stays well-formed but unsigned. */
function forge(token: string): string {
  const at = token.indexOf('.') + 10;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

test.before(async () => {
  relay = await startTestRelay({ env: { SECRET, LEAVE_GRACE_MS: '300' } });
});

test.after.each(() => {
  for (const c of clients.splice(0)) c.destroy();
});

test.after(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await relay.close();
});

test('a stock WebsocketProvider with a valid token syncs chat between two clients', async () => {
  const { roomId } = await createRoom(relay);
  const [ann, ben] = [await joinRoom(relay, roomId, 'Ann'), await joinRoom(relay, roomId, 'Ben')];
  const a = open(relay, roomId, ann.token);
  const b = open(relay, roomId, ben.token);
  await Promise.all([a.waitSynced(), b.waitSynced()]);
  const sent = sendChat(a.doc, who(ann), 'hello from Ann', Date.now());
  assert.ok(sent);
  await waitUntil(() => chatMessages(b.doc).some((m) => m.id === sent.id), 3000, 'Ben to see Ann’s message');
  assert.equal(chatMessages(b.doc), [sent]);
  sendChat(b.doc, who(ben), 'hi Ann', Date.now());
  await waitUntil(() => chatMessages(a.doc).length === 2, 3000, 'Ann to see Ben’s reply');
  assert.equal(a.denied, []);
});

test('a provider with a forged token is refused: permission denied, then close 4401, and no sync', async () => {
  const { roomId } = await createRoom(relay);
  const j = await joinRoom(relay, roomId, 'Mallory');
  const c = open(relay, roomId, forge(j.token));
  const refusal = await c.waitRefused();
  assert.is(refusal.code, 4401);
  assert.match(c.denied.join(' '), /bad-signature/);
  assert.is(c.provider.synced, false);
});

test('a token for room A is refused on room B with 4401 (wrong-room)', async () => {
  const roomA = (await createRoom(relay)).roomId;
  const roomB = (await createRoom(relay)).roomId;
  const j = await joinRoom(relay, roomA, 'Wanderer');
  const c = open(relay, roomB, j.token);
  assert.is((await c.waitRefused()).code, 4401);
  assert.match(c.denied.join(' '), /wrong-room/);
});

test('an expired token, correctly signed, is refused with 4401 (expired)', async () => {
  const { roomId } = await createRoom(relay);
  const expired = new TokenSigner(SECRET).signJoin({ room: roomId, pid: 'pid-expired-0001', name: 'Late', role: 'guest', exp: Date.now() - 1000 });
  const c = open(relay, roomId, expired);
  assert.is((await c.waitRefused()).code, 4401);
  assert.match(c.denied.join(' '), /expired/);
  // The same claims with a future expiry are accepted, so it was the expiry that was refused.
  const fresh = new TokenSigner(SECRET).signJoin({ room: roomId, pid: 'pid-expired-0001', name: 'Late', role: 'guest', exp: Date.now() + 60_000 });
  await open(relay, roomId, fresh).waitSynced();
});

test('a room that does not exist is refused with 4404, for a well-formed and a malformed id', async () => {
  const { roomId } = await createRoom(relay);
  const j = await joinRoom(relay, roomId, 'Lost');
  for (const other of ['zzzzz-zzzzz-zzzzz', 'not-a-room', '..%2F..%2Fetc']) {
    const c = open(relay, other, j.token);
    assert.is((await c.waitRefused()).code, 4404, `room ${other}`);
  }
});

test('chat survives a relay restart on the same DATA_DIR (a fresh provider sees every message)', async () => {
  const dataDir = makeTempDir();
  try {
    const first = await startTestRelay({ dataDir });
    const { roomId } = await createRoom(first);
    const j = await joinRoom(first, roomId, 'Keeper');
    const writer = open(first, roomId, j.token);
    const witness = open(first, roomId, j.token);
    await Promise.all([writer.waitSynced(), witness.waitSynced()]);
    const texts = Array.from({ length: 25 }, (_, i) => `message ${i}`);
    for (const t of texts) sendChat(writer.doc, who(j), t, Date.now());
    // Once another client has every message, the relay has applied (and stored) every update.
    await waitUntil(() => chatMessages(witness.doc).length === texts.length, 5000, 'the witness to see all messages');
    writer.destroy();
    witness.destroy();
    await first.close();

    const second = await startTestRelay({ dataDir });
    try {
      const again = await joinRoom(second, roomId, 'Keeper'); // the room itself survived too
      const reader = open(second, roomId, again.token);
      await reader.waitSynced();
      await waitUntil(() => chatMessages(reader.doc).length === texts.length, 3000, 'the restarted relay to serve every message', () => `${chatMessages(reader.doc).length}`);
      assert.equal(chatMessages(reader.doc).map((m) => m.text), texts);
      // The token secret lives in DATA_DIR, so a token issued before the restart still opens the room.
      const old = open(second, roomId, j.token);
      await old.waitSynced();
      reader.destroy();
      old.destroy();
    } finally {
      await second.close();
    }
  } finally {
    removeDir(dataDir);
  }
});

async function handScenario(goodbye: (s: SignalClient) => Promise<void>, budgetMs: number): Promise<number> {
  const { roomId } = await createRoom(relay);
  const [raiser, watcher] = [await joinRoom(relay, roomId, 'Raiser'), await joinRoom(relay, roomId, 'Watcher')];
  const signalling = await SignalClient.connect(signalUrl(relay.wsBase, roomId, raiser.token, newSessionId('raiser')));
  sockets.push(signalling);
  await signalling.next('welcome');
  const mine = open(relay, roomId, raiser.token);
  const theirs = open(relay, roomId, watcher.token);
  await Promise.all([mine.waitSynced(), theirs.waitSynced()]);
  assert.ok(raiseHand(mine.doc, who(raiser), Date.now()));
  await waitUntil(() => handQueue(theirs.doc).some((h) => h.participantId === raiser.participantId), 3000, 'the watcher to see the raised hand');
  const t0 = Date.now();
  await goodbye(signalling);
  await waitUntil(() => handQueue(theirs.doc).length === 0, budgetMs, 'the relay to lower the hand', () => JSON.stringify(handQueue(theirs.doc)));
  return Date.now() - t0;
}

test('the relay lowers the raised hand of a participant who sends leave', async () => {
  const ms = await handScenario(async (s) => {
    s.send({ type: 'leave' });
    assert.is((await s.waitClosed()).code, 4002);
  }, 2000);
  console.log(`  hand lowered ${ms} ms after leave`);
});

test('the relay lowers the raised hand of a participant whose socket dropped, after LEAVE_GRACE_MS', async () => {
  const ms = await handScenario((s) => s.close(), 4000);
  assert.ok(ms >= 300, `not before the grace period (${ms} ms)`);
  console.log(`  hand lowered ${ms} ms after the socket dropped (grace 300 ms, sweep every 1 s)`);
});

test('a room whose stored history is corrupt is refused without crashing the relay; other rooms still sync', async () => {
  const dataDir = makeTempDir();
  const uncaught = catchUncaught();
  let second: TestRelay | undefined;
  try {
    const first = await startTestRelay({ dataDir });
    const broken = (await createRoom(first)).roomId;
    const healthy = (await createRoom(first)).roomId;
    const [b, h] = [await joinRoom(first, broken, 'Broken'), await joinRoom(first, healthy, 'Healthy')];
    await first.close();
    const db = new Database(join(dataDir, 'palabre.sqlite'));
    db.prepare('INSERT INTO yjs_updates (room, data) VALUES (?, ?)').run(broken, Buffer.from([1, 2, 3, 4, 5])); // a truncated update
    db.close();

    second = await startTestRelay({ dataDir });
    const victim = open(second, broken, b.token);
    const signalling = await SignalClient.connect(signalUrl(second.wsBase, broken, b.token, newSessionId('broken')));
    sockets.push(signalling);
    await signalling.next('welcome');
    signalling.send({ type: 'leave' }); // the relay then lowers this participant's hand in the broken document
    await signalling.waitClosed();
    await sleep(500);
    assert.equal(uncaught.errors, [], 'loading the corrupt document threw out of a socket handler');
    await waitUntil(() => victim.closes.length > 0 || victim.refusal() !== undefined, 3000, 'the Yjs socket of the broken room to be closed rather than left hanging', () => `synced=${victim.provider.synced}`);
    assert.is((await http(second, '/health')).status, 200);
    const fine = open(second, healthy, h.token);
    await fine.waitSynced();
  } finally {
    uncaught.stop();
    for (const c of clients.splice(0)) c.destroy();
    await second?.close();
    removeDir(dataDir);
  }
});

test.run();
