/**
 * Mesh mode end to end: three Node participants (simple-peer + wrtc, synthetic audio and video) meet
 * through the real relay's signalling, exchange data and media on every pair, then leave, reconnect,
 * replace their session, and a fifth participant is turned away. The tests run in order on one room.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NodeParticipant, SignalClient, createRoom, joinRoom, newSessionId, signalUrl, sleep, startTestRelay, waitUntil } from './harness.ts';
import type { TestRelay } from './harness.ts';

let relay: TestRelay;
let roomId: string;
const everyone: NodeParticipant[] = [];
const sockets: SignalClient[] = [];
let alice: NodeParticipant;
let bob: NodeParticipant;
let carol: NodeParticipant;
let joinStarted = 0;

async function participant(name: string): Promise<NodeParticipant> {
  const p = await NodeParticipant.join(await joinRoom(relay, roomId, name), { session: newSessionId(name), wsBase: relay.wsBase });
  everyone.push(p);
  return p;
}

const others = (self: NodeParticipant, group: NodeParticipant[]) => group.filter((p) => p !== self).map((p) => p.sessionId);

/** Waits until every link of `p` to `from` has gained `n` more video frames than now. */
async function videoGrows(p: NodeParticipant, from: string[], n: number, label: string): Promise<void> {
  const start = new Map(from.map((s) => [s, p.link(s).video]));
  await waitUntil(() => from.every((s) => (p.links.get(s)?.video ?? 0) >= start.get(s)! + n), 8000, label, () => from.map((s) => `${s}: ${p.links.get(s)?.video}`).join(', '));
}

test.before(async () => {
  relay = await startTestRelay({ env: { RELAY_MODE: 'off' } }); // the peer-to-peer-only mode: a fifth is refused
  roomId = (await createRoom(relay)).roomId;
});

test.after(async () => {
  for (const p of everyone) p.close();
  await Promise.all(sockets.map((s) => s.close()));
  await relay.close();
});

test('three participants connect every pair, the newcomer initiating to those present', async () => {
  joinStarted = Date.now();
  alice = await participant('alice');
  bob = await participant('bob');
  carol = await participant('carol');
  const trio = [alice, bob, carol];
  await Promise.all(trio.map((p) => p.waitConnected(others(p, trio))));
  console.log(`  3-way mesh: all 3 links connected ${Date.now() - joinStarted} ms after the first join`);
  assert.is(alice.link(bob.sessionId).initiator, false, 'alice was first: bob initiates to her');
  assert.is(bob.link(alice.sessionId).initiator, true);
  assert.is(carol.link(alice.sessionId).initiator, true);
  assert.is(carol.link(bob.sessionId).initiator, true);
  assert.equal(carol.welcome?.peers.map((p) => p.sessionId).sort(), [alice.sessionId, bob.sessionId].sort());
});

test('each participant receives data-channel messages from both others', async () => {
  const trio = [alice, bob, carol];
  for (const p of trio) assert.is(p.broadcast(`hello from ${p.joined.name}`), 2);
  for (const p of trio) {
    for (const q of trio.filter((x) => x !== p)) {
      await waitUntil(() => p.link(q.sessionId).messages.includes(`hello from ${q.joined.name}`), 5000, `${p.joined.name} to hear ${q.joined.name}`);
    }
  }
});

test('each participant receives video frames and audio from both others, and the counts keep growing', async () => {
  const trio = [alice, bob, carol];
  for (const p of trio) {
    const from = others(p, trio);
    await waitUntil(() => from.every((s) => p.link(s).video > 0 && p.link(s).audio > 0), 10_000, `${p.joined.name} to receive audio and video`, () =>
      from.map((s) => `${s}: video ${p.link(s).video}, audio ${p.link(s).audio}`).join('; '),
    );
  }
  const firsts = trio.flatMap((p) => others(p, trio).map((s) => p.link(s).firstVideoAt! - joinStarted));
  console.log(`  3-way mesh: first remote video frame ${Math.min(...firsts)}–${Math.max(...firsts)} ms after the first join`);
  for (const p of trio) await videoGrows(p, others(p, trio), 10, `${p.joined.name}'s video counts to grow by 10`);
  for (const p of trio) for (const s of others(p, trio)) assert.ok(p.link(s).audio > 50, `${p.joined.name} got ${p.link(s).audio} audio frames from ${s}`);
});

test('a participant who sends leave is announced with peer-left at once and the links to it close', async () => {
  const linksToCarol = [alice.link(carol.sessionId), bob.link(carol.sessionId)];
  const sent = Date.now();
  const [code, leftAtAlice, leftAtBob] = await Promise.all([
    carol.leave(),
    alice.signal.next('peer-left', 2000, (m) => m.sessionId === carol.sessionId),
    bob.signal.next('peer-left', 2000, (m) => m.sessionId === carol.sessionId),
  ]);
  console.log(`  leave → peer-left in ${Date.now() - sent} ms`);
  assert.is(code, 4002, 'the leaver is closed with 4002 (left)');
  assert.is(leftAtAlice.participantId, carol.participantId);
  assert.is(leftAtBob.participantId, carol.participantId);
  await waitUntil(() => linksToCarol.every((l) => l.closedAt !== undefined), 3000, 'links to carol to close');
  assert.not.ok(alice.links.has(carol.sessionId));
  assert.not.ok(bob.links.has(carol.sessionId));
  await videoGrows(alice, [bob.sessionId], 5, 'alice↔bob to keep flowing after carol left');
});

test('a participant reconnecting its signalling socket with the same session keeps its peer links', async () => {
  const link = alice.link(bob.sessionId);
  const aliceEvents = alice.events.length;
  const { welcome } = await bob.reconnectSignalling();
  assert.equal(welcome.peers.map((p) => p.sessionId), [alice.sessionId], 'the welcome lists alice');
  await sleep(1000); // a window in which a wrong peer-left or peer-joined would show
  assert.equal(alice.events.slice(aliceEvents), [], 'alice saw no peer-left / peer-joined');
  assert.is(alice.link(bob.sessionId), link, 'alice kept the same link object');
  assert.is(bob.link(alice.sessionId).closedAt, undefined);
  await videoGrows(alice, [bob.sessionId], 5, 'video from bob to keep flowing');
  await videoGrows(bob, [alice.sessionId], 5, 'video from alice to keep flowing');
  bob.broadcast('still here');
  await waitUntil(() => link.messages.includes('still here'), 3000, 'a data message after the reconnect');
});

test('a second socket of the same session, opened while the first is still up, takes over silently', async () => {
  const link = alice.link(bob.sessionId);
  const aliceEvents = alice.events.length;
  const { welcome, old } = await bob.reconnectSignalling({ overlap: true });
  assert.equal(welcome.peers.map((p) => p.sessionId), [alice.sessionId]);
  assert.is((await old.waitClosed(3000)).code, 1000, 'the stale socket is closed normally, not as replaced');
  await sleep(500);
  assert.equal(alice.events.slice(aliceEvents), [], 'alice saw no peer-left / peer-joined');
  assert.is(alice.link(bob.sessionId), link);
  alice.broadcast('after the takeover');
  await waitUntil(() => bob.link(alice.sessionId).messages.includes('after the takeover'), 3000, 'a data message after the takeover');
});

test('a new session of the same participant replaces the old one: peer-left old, peer-joined new, old socket 4001', async () => {
  const old = bob;
  const replacedError = old.signal.next('error', 3000, (m) => m.code === 'replaced');
  const left = alice.signal.next('peer-left', 3000, (m) => m.sessionId === old.sessionId);
  const session = newSessionId('bob2');
  const joined = alice.signal.next('peer-joined', 3000, (m) => m.peer.sessionId === session);
  bob = await NodeParticipant.join(old.joined, { session, wsBase: relay.wsBase });
  everyone.push(bob);
  assert.is((await replacedError).fatal, true);
  assert.is((await old.signal.waitClosed(3000)).code, 4001);
  assert.is((await left).participantId, old.participantId);
  assert.is((await joined).peer.participantId, old.participantId, 'same participant, new session');
  assert.equal(bob.welcome?.peers.map((p) => p.sessionId), [alice.sessionId], 'no ghost of the old session');
  old.close();
  await bob.waitConnected([alice.sessionId]);
  await videoGrows(alice, [bob.sessionId], 5, 'video from the new session');
});

test('a fifth participant is refused with room-full (close 4409) while four are present', async () => {
  for (const name of ['dave', 'erin']) {
    const j = await joinRoom(relay, roomId, name);
    const s = await SignalClient.connect(signalUrl(relay.wsBase, roomId, j.token, newSessionId(name)));
    sockets.push(s);
    const welcome = await s.next('welcome');
    await alice.signal.next('peer-joined', 3000, (m) => m.peer.sessionId === welcome.self.sessionId);
  }
  const joinedBefore = alice.signal.count('peer-joined');
  const fifth = await joinRoom(relay, roomId, 'frank');
  const s = new SignalClient(signalUrl(relay.wsBase, roomId, fifth.token, newSessionId('frank')));
  sockets.push(s);
  const refusal = await s.next('error', 3000);
  assert.is(refusal.code, 'room-full');
  assert.is(refusal.fatal, true);
  assert.match(refusal.message, /limited to 4 participants in peer-to-peer mode/, 'with RELAY_MODE=off');
  assert.is((await s.waitClosed()).code, 4409);
  assert.is(s.count('welcome'), 0);
  assert.is(alice.signal.count('peer-joined'), joinedBefore, 'nobody is told about the refused participant');
});

test.run();
