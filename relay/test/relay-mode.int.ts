/**
 * The room's media path end to end, through the real relay: with MESH_MAX=4 and MODE_HOLD_MS=1000,
 * participants join one by one over the signalling socket; the fourth warms the room (each opens its
 * relay connection, ICE + DTLS, no media), the fifth escalates it: everyone offers its synthetic audio
 * and video to the relay through the socket, receives everyone else's through the relay's slots, and
 * acknowledges the switch, which then settles. Two leave; after the hold time the room switches back
 * to mesh, everyone acknowledges, and the relay closes. The tests run in order on one room.
 * Media clients are werift (test-client.ts) on loopback; nothing leaves this machine.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SignalClient, createRoom, http, joinRoom, signalUrl, sleep, startTestRelay, waitUntil } from './harness.ts';
import type { TestRelay } from './harness.ts';
import { RelayParticipant } from './relay-participant.ts';
import type { ModeMessage } from '../signal/protocol.ts';

const NAMES = ['ada', 'bo', 'cy', 'di', 'ed'] as const;
/** Well-formed, but with no codec the relay forwards: werift cannot answer it. */
const PCMU_ONLY = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\n';

let relay: TestRelay;
let roomId: string;
const everyone: RelayParticipant[] = [];
const startedAt = Date.now();
let switchEpoch = 0;

const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
const is = (want: Partial<ModeMessage>) => (m: ModeMessage) => Object.entries(want).every(([k, v]) => m[k as keyof ModeMessage] === v);

async function metric(name: string, labels = ''): Promise<number> {
  const text = (await http(relay, '/metrics')).text;
  return Number(new RegExp(`^${name}${labels.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
}

/** What `p` received from everyone else in `group`, through its slots. */
function mediaFrom(p: RelayParticipant, group: RelayParticipant[]) {
  const others = group.filter((o) => o !== p);
  return {
    videoFromAll: others.every((o) => (p.client?.from(o.tag, 'video').keyframes ?? 0) >= 1),
    audioFrom: others.filter((o) => (p.client?.from(o.tag, 'audio').packets ?? 0) >= 10).length,
    // Audio levels are the tags (tag 1 loudest): the relay forwards the loudest few speakers.
    audioFromLoudest: (p.client?.from(Math.min(...others.map((o) => o.tag)), 'audio').packets ?? 0) >= 10,
    own: (p.client?.from(p.tag, 'audio').packets ?? 0) + (p.client?.from(p.tag, 'video').packets ?? 0),
  };
}

test.before(async () => {
  relay = await startTestRelay({ env: { RELAY_MODE: 'on', MESH_MAX: '4', MODE_HOLD_MS: '1000', RTC_HOST_ADDRESSES: '127.0.0.1' } });
  roomId = (await createRoom(relay)).roomId;
});

test.after(async () => {
  await Promise.all(everyone.map((p) => p.close()));
  await relay.close();
});

test('up to MESH_MAX the room is mesh; the fourth warms it and every client opens an idle relay connection', async () => {
  for (const [i, name] of NAMES.slice(0, 3).entries()) {
    everyone.push(await RelayParticipant.join(relay.wsBase, await joinRoom(relay, roomId, name), `session-${name}`, i + 1));
  }
  for (const p of everyone) assert.equal(p.mode, { type: 'mode', path: 'mesh', warm: false, phase: 'settled', epoch: 0 });
  assert.equal([everyone[0]!.welcome?.meshMax, everyone[0]!.welcome?.roomMax], [4, 150]);
  assert.is(await metric('palabre_relay_rooms'), 0, 'no relay for a small room');
  everyone[0]!.signal.send({ type: 'relay-offer', sdp: PCMU_ONLY, epoch: 0 });
  const wrongMode = await everyone[0]!.signal.next('error');
  assert.equal([wrongMode.code, wrongMode.fatal], ['wrong-mode', false], 'relay messages in plain mesh are refused');
  everyone[0]!.relayErrors.length = 0;

  everyone.push(await RelayParticipant.join(relay.wsBase, await joinRoom(relay, roomId, NAMES[3]), `session-${NAMES[3]}`, 4));
  const warm = await Promise.all(everyone.map((p) => p.nextMode(is({ warm: true }))));
  for (const m of warm) assert.equal(m, { type: 'mode', path: 'mesh', warm: true, phase: 'settled', epoch: 1 });
  assert.is(await metric('palabre_relay_rooms'), 1);

  // Warm-up: each offers its tracks and slots, connects, and sends nothing yet.
  await Promise.all(everyone.map((p) => p.offer(1)));
  await waitUntil(() => everyone.every((p) => p.client?.pc.connectionState === 'connected'), 8000, 'warm relay connections');
  assert.is(await metric('palabre_relay_peers'), 4);
  console.log(`  4 warm relay connections up at ${elapsed()}`);
});

test('the fifth escalates: everyone offers through the socket, gets the others through the relay, acks; the switch settles', async () => {
  everyone.push(await RelayParticipant.join(relay.wsBase, await joinRoom(relay, roomId, NAMES[4]), `session-${NAMES[4]}`, 5));
  const switching = await Promise.all(everyone.map((p) => p.nextMode(is({ path: 'relay', phase: 'switching' }))));
  switchEpoch = switching[0]!.epoch;
  assert.is(switchEpoch, 2);
  for (const m of switching) assert.equal(m, { type: 'mode', path: 'relay', warm: true, phase: 'switching', epoch: 2 });
  const switchStarted = Date.now();

  // The warm four re-offer for the switch's epoch (a browser would add its tracks now); the fifth's first offer.
  await Promise.all(everyone.map((p) => p.offer(switchEpoch)));
  for (const p of everyone) p.client!.startPublishing();
  await waitUntil(() => everyone.every((p) => p.client?.lastSlots?.video.every((s) => s.sessionId !== null)), 8000, 'every video slot filled',
    () => everyone.map((p) => `${p.sessionId}: ${JSON.stringify(p.client?.lastSlots?.video.map((s) => s.sessionId))}`).join('; '));
  const flowing = (p: RelayParticipant) => {
    const m = mediaFrom(p, everyone);
    return m.videoFromAll && m.audioFromLoudest && m.audioFrom >= 2;
  };
  await waitUntil(() => everyone.every(flowing), 10_000, 'video from every other and audio from the loudest through the relay',
    () => everyone.map((p) => `${p.sessionId}: ${JSON.stringify(mediaFrom(p, everyone))}`).join('; '));
  console.log(`  5 on the relay: everyone has a keyframe from each of the 4 others and audio from the loudest, ${Date.now() - switchStarted} ms after the switch began`);
  console.log(`  audio heard from: ${everyone.map((p) => `${p.sessionId.slice(8)} ${mediaFrom(p, everyone).audioFrom}`).join(', ')}`);
  for (const p of everyone) {
    assert.is(mediaFrom(p, everyone).own, 0, `${p.sessionId} gets nothing of its own`);
    const seated = p.client!.lastSlots!.video.map((s) => s.sessionId).sort();
    assert.equal(seated, everyone.filter((o) => o !== p).map((o) => o.sessionId).sort(), `${p.sessionId}'s video slots`);
  }
  assert.equal(everyone.flatMap((p) => p.relayErrors), []);
  // The loudest (tag 1, -1 dBov) becomes the dominant speaker, and everyone is told, the speaker too.
  const loudest = everyone.find((p) => p.tag === Math.min(...everyone.map((o) => o.tag)))!;
  await waitUntil(() => everyone.every((p) => p.client?.speakers.at(-1) === loudest.sessionId), 5000, 'the dominant speaker named to everyone',
    () => everyone.map((p) => `${p.sessionId}: ${JSON.stringify(p.client?.speakers)}`).join('; '));

  // Four ack; a late ack of the warm-up epoch from the fifth counts for nothing.
  for (const p of everyone.slice(0, 4)) p.ack(switchEpoch);
  everyone[4]!.ack(switchEpoch - 1);
  await sleep(300);
  assert.ok(everyone.every((p) => p.mode?.phase === 'switching'), 'not settled before the last ack of this epoch');
  everyone[4]!.ack(switchEpoch);
  const settled = await Promise.all(everyone.map((p) => p.nextMode(is({ path: 'relay', phase: 'settled' }))));
  for (const m of settled) assert.equal(m, { type: 'mode', path: 'relay', warm: true, phase: 'settled', epoch: 3 });
  console.log(`  escalation settled ${Date.now() - switchStarted} ms after it began (${elapsed()})`);
});

test('two leave; after the hold time the room switches back to mesh, everyone acks, and the relay closes', async () => {
  const leavers = everyone.slice(3);
  const stayers = everyone.slice(0, 3);
  await Promise.all(leavers.map((p) => p.leave()));
  const leftAt = Date.now();
  await waitUntil(() => stayers.every((p) => p.client?.lastSlots?.video.filter((s) => s.sessionId !== null).length === 2), 5000, 'leavers’ seats freed');
  assert.is(await metric('palabre_relay_peers'), 3, 'the leavers’ relay connections are closed');
  await sleep(300);
  assert.ok(stayers.every((p) => p.mode?.path === 'relay'), 'still on the relay within the hold time');

  const back = await Promise.all(stayers.map((p) => p.nextMode(is({ path: 'mesh', phase: 'switching' }), 5000)));
  const heldMs = Date.now() - leftAt;
  for (const m of back) assert.equal(m, { type: 'mode', path: 'mesh', warm: true, phase: 'switching', epoch: 4 });
  assert.ok(heldMs >= 1000, `held ${heldMs} ms`);

  // A late ack of the escalation is ignored; then each closes its relay path (mesh is up) and acks.
  stayers[0]!.ack(switchEpoch);
  await sleep(200);
  assert.ok(stayers.every((p) => p.mode?.phase === 'switching'));
  for (const p of stayers) {
    await p.closeRelay();
    p.ack(4);
  }
  const settled = await Promise.all(stayers.map((p) => p.nextMode(is({ path: 'mesh', phase: 'settled', epoch: 5 }))));
  for (const m of settled) assert.equal(m, { type: 'mode', path: 'mesh', warm: true, phase: 'settled', epoch: 5 });
  // Three is under the warm-up threshold too, and has been for longer than the hold: the room cools at once.
  const cooled = await Promise.all(stayers.map((p) => p.nextMode(is({ warm: false, epoch: 6 }))));
  for (const m of cooled) assert.equal(m, { type: 'mode', path: 'mesh', warm: false, phase: 'settled', epoch: 6 });
  assert.is(await metric('palabre_relay_rooms'), 0, 'the relay room is closed');
  assert.is(await metric('palabre_relay_peers'), 0);
  // What the relay received stays counted once its room is gone (werift clients send no padding).
  const received = await Promise.all(['audio', 'video', 'padding'].map((kind) => metric('palabre_relay_rtp_received_total', `{kind="${kind}"}`)));
  assert.ok(received[0]! > 100 && received[1]! > 100 && received[2] === 0, `RTP received by kind: ${received.join(', ')}`);
  console.log(`  back in mesh ${heldMs} ms after two left; settled and relay closed at ${elapsed()}`);
});

test('past MESH_MAX a room admits up to ROOM_MAX (150 by default); the next is refused with room-full', async () => {
  const small = await startTestRelay({ env: { RELAY_MODE: 'on', MESH_MAX: '2', ROOM_MAX: '3', RTC_HOST_ADDRESSES: '127.0.0.1' }, echo: 'error' });
  const participants: RelayParticipant[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    const { roomId: id } = await createRoom(small);
    for (let i = 1; i <= 3; i++) participants.push(await RelayParticipant.join(small.wsBase, await joinRoom(small, id, `p${i}`), `session-p${i}`, i));
    assert.is(participants[2]!.mode?.path, 'relay', 'past MESH_MAX the room is admitted onto the relay');
    // An offer the relay cannot answer is that session's failure alone, reported as relay-failed.
    participants[0]!.signal.send({ type: 'relay-offer', sdp: PCMU_ONLY, epoch: participants[2]!.mode!.epoch });
    const failed = await participants[0]!.signal.next('error');
    assert.equal([failed.code, failed.fatal], ['relay-failed', false]);
    assert.is(participants[1]!.signal.count('error'), 0);
    const late = await SignalClient.connect(signalUrl(small.wsBase, id, (await joinRoom(small, id, 'p4')).token, 'session-p4'));
    closers.push(() => late.close());
    const refusal = await late.next('error');
    assert.equal([refusal.code, refusal.fatal, (await late.waitClosed()).code], ['room-full', true, 4409]);
    assert.match(refusal.message, /full \(3 participants\)/);
  } finally {
    await Promise.all([...participants.map((p) => p.close()), ...closers.map((c) => c())]);
    await small.close();
  }
});

test.run();
