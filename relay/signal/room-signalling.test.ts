import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RoomSignalling } from './room-signalling.ts';
import type { Action } from './room-signalling.ts';
import type { ClientMessage, ServerMessage } from './protocol.ts';

const opts = { meshMax: 4, roomMax: 150, iceServers: [], leaveGraceMs: 5000, relayAvailable: false, modeHoldMs: 10_000 };
const who = (n: number, session = `session-${n}`) => ({ participantId: `p${n}`, sessionId: session, name: `Name ${n}` });
const sent = (actions: Action[], sessionId: string) =>
  actions.filter((a): a is Extract<Action, { kind: 'send' }> => a.kind === 'send' && a.sessionId === sessionId).map((a) => a.message);
const types = (messages: ServerMessage[]) => messages.map((m) => m.type);

test('connect() welcomes the newcomer with the peers already present and tells them', () => {
  const room = new RoomSignalling('r', opts);
  room.connect(who(1), 0);
  const actions = room.connect(who(2), 10);
  const welcome = sent(actions, 'session-2')[0];
  assert.is(welcome?.type, 'welcome');
  if (welcome?.type !== 'welcome') return;
  assert.equal(welcome.peers.map((p) => p.sessionId), ['session-1']);
  assert.is(welcome.self.joinedAt, 10);
  assert.equal(types(sent(actions, 'session-1')), ['peer-joined']);
});

test('connect() refuses a new participant past MESH_MAX with room-full', () => {
  const room = new RoomSignalling('r', opts);
  for (let i = 1; i <= 4; i++) room.connect(who(i), i);
  const actions = room.connect(who(5), 5);
  const msg = sent(actions, 'session-5')[0];
  assert.is(msg?.type === 'error' && msg.code, 'room-full');
  assert.ok(actions.some((a) => a.kind === 'close' && a.code === 4409));
  assert.is(room.size, 4);
  for (let i = 1; i <= 4; i++) assert.is(sent(actions, `session-${i}`).length, 0, 'nobody else hears of it');
});

test('connect() admits up to ROOM_MAX once the relay can carry media', () => {
  const room = new RoomSignalling('r', { ...opts, relayAvailable: true, roomMax: 6 });
  for (let i = 1; i <= 6; i++) assert.is(sent(room.connect(who(i), i), `session-${i}`)[0]?.type, 'welcome');
  assert.is(sent(room.connect(who(7), 7), 'session-7')[0]?.type, 'error');
});

test('a new session of the same participant replaces the old one (reload leaves no ghost)', () => {
  const room = new RoomSignalling('r', opts);
  room.connect(who(1), 0);
  room.connect(who(2), 0);
  const actions = room.connect(who(2, 'session-2b'), 5);
  assert.ok(actions.some((a) => a.kind === 'close' && a.sessionId === 'session-2' && a.code === 4001));
  assert.equal(types(sent(actions, 'session-1')), ['peer-left', 'peer-joined']);
  assert.is(room.size, 2);
  assert.not.ok(actions.some((a) => a.kind === 'left'), 'the participant did not leave');
});

test('a full room still accepts a reload of one of its participants', () => {
  const room = new RoomSignalling('r', opts);
  for (let i = 1; i <= 4; i++) room.connect(who(i), i);
  assert.is(sent(room.connect(who(4, 'session-4b'), 9), 'session-4b').at(-1)?.type, 'welcome');
});

test('a reconnect with the same session is welcomed again without telling anyone', () => {
  const room = new RoomSignalling('r', opts);
  room.connect(who(1), 0);
  room.connect(who(2), 0);
  room.disconnect('session-2', 100);
  const actions = room.connect(who(2), 200);
  assert.equal(types(sent(actions, 'session-2')), ['welcome']);
  assert.is(sent(actions, 'session-1').length, 0);
  assert.is(room.sweep(100_000).length, 0, 'a reconnected session is not swept');
});

test('a session id cannot be taken over by another participant', () => {
  const room = new RoomSignalling('r', opts);
  room.connect(who(1), 0);
  const actions = room.connect({ ...who(2), sessionId: 'session-1' }, 1);
  assert.ok(actions.some((a) => a.kind === 'close' && a.code === 4403));
  assert.is(room.peers()[0]?.participantId, 'p1');
});

test('receive() forwards a signal to its addressee only, stamped with the sender', () => {
  const room = new RoomSignalling('r', opts);
  for (let i = 1; i <= 3; i++) room.connect(who(i), i);
  const actions = room.receive('session-1', { type: 'signal', to: 'session-3', data: { sdp: 'x' } }, 4);
  assert.equal(actions, [{ kind: 'send', sessionId: 'session-3', message: { type: 'signal', from: 'session-1', data: { sdp: 'x' } } }]);
});

test('receive() answers a signal to an unknown, absent or own session with unknown-peer', () => {
  const room = new RoomSignalling('r', opts);
  room.connect(who(1), 0);
  room.connect(who(2), 0);
  room.disconnect('session-2', 1);
  for (const to of ['nobody-here', 'session-2', 'session-1']) {
    const [a] = room.receive('session-1', { type: 'signal', to, data: {} }, 2);
    assert.is(a?.kind === 'send' && a.sessionId === 'session-1' && a.message.type === 'error' && a.message.code, 'unknown-peer', to);
  }
});

test('leave removes the session at once and reports the participant left', () => {
  const room = new RoomSignalling('r', opts);
  room.connect(who(1), 0);
  room.connect(who(2), 0);
  const actions = room.receive('session-2', { type: 'leave' }, 3);
  assert.equal(types(sent(actions, 'session-1')), ['peer-left']);
  assert.ok(actions.some((a) => a.kind === 'left' && a.participantId === 'p2'));
  assert.is(room.size, 1);
});

test('a dropped session leaves only after the grace period (sweep takes now)', () => {
  const room = new RoomSignalling('r', opts);
  room.connect(who(1), 0);
  room.connect(who(2), 0);
  assert.equal(room.disconnect('session-2', 1000), []);
  assert.equal(room.sweep(5999), []);
  const actions = room.sweep(6000);
  assert.equal(types(sent(actions, 'session-1')), ['peer-left']);
  assert.ok(actions.some((a) => a.kind === 'left'));
});

test('ping is answered with pong carrying the id and the relay time', () => {
  const room = new RoomSignalling('r', opts);
  room.connect(who(1), 0);
  assert.equal(room.receive('session-1', { type: 'ping', id: 7 }, 42), [{ kind: 'send', sessionId: 'session-1', message: { type: 'pong', id: 7, now: 42 } }]);
});

// ---- Media path -------------------------------------------------------------------------------------

const relayOpts = { ...opts, relayAvailable: true, modeHoldMs: 1000 };
const kinds = (actions: Action[]) => actions.filter((a) => a.kind.startsWith('relay')).map((a) => a.kind);
const modes = (actions: Action[], sessionId: string) => sent(actions, sessionId).filter((m) => m.type === 'mode');

test('the welcome carries the current mode; without a relay it is settled mesh at epoch 0', () => {
  const room = new RoomSignalling('r', opts);
  const welcome = sent(room.connect(who(1), 0), 'session-1')[0];
  assert.equal(welcome?.type === 'welcome' && welcome.mode, { type: 'mode', path: 'mesh', warm: false, phase: 'settled', epoch: 0 });
});

test('the fourth joiner warms the room: the relay opens first, then everyone else hears the mode', () => {
  const room = new RoomSignalling('r', relayOpts);
  for (let i = 1; i <= 3; i++) assert.equal(kinds(room.connect(who(i), i)), []);
  const actions = room.connect(who(4), 4);
  const warm = { type: 'mode', path: 'mesh', warm: true, phase: 'settled', epoch: 1 };
  assert.equal(kinds(actions), ['relay-open']);
  assert.ok(actions.findIndex((a) => a.kind === 'relay-open') < actions.findIndex((a) => a.kind === 'send' && a.message.type === 'mode'));
  for (let i = 1; i <= 3; i++) assert.equal(modes(actions, `session-${i}`), [warm]);
  const welcome = sent(actions, 'session-4').at(-1);
  assert.equal(welcome?.type === 'welcome' && welcome.mode, warm, 'the newcomer learns it from its welcome, once');
  assert.equal(modes(actions, 'session-4'), []);
  assert.ok(actions.some((a) => a.kind === 'mode' && a.from === 'mesh' && a.to === 'mesh-warm'));
});

test('the fifth escalates; relay messages go to the relay; acks of the switch epoch settle it', () => {
  const room = new RoomSignalling('r', relayOpts);
  for (let i = 1; i <= 4; i++) room.connect(who(i), i);
  const actions = room.connect(who(5), 5);
  assert.equal(actions.find((a) => a.kind === 'relay-open'), { kind: 'relay-open', epoch: 2 });
  assert.equal(modes(actions, 'session-1'), [{ type: 'mode', path: 'relay', warm: true, phase: 'switching', epoch: 2 }]);
  // The switch before the newcomer: told of it first, a mesh client would start a link to it.
  assert.equal(types(sent(actions, 'session-1')), ['mode', 'peer-joined']);
  assert.equal(types(sent(actions, 'session-5')), ['welcome'], 'the newcomer: its welcome only');

  const offer = { type: 'relay-offer' as const, sdp: 'v=0\r\n', epoch: 2 };
  assert.equal(room.receive('session-3', offer, 6), [{ kind: 'relay-message', sessionId: 'session-3', message: offer }]);
  assert.equal(room.receive('session-1', { type: 'mode-ack', epoch: 1 }, 7), [], 'an old epoch is ignored');
  for (let i = 1; i <= 4; i++) assert.equal(room.receive(`session-${i}`, { type: 'mode-ack', epoch: 2 }, 8), []);
  const settled = room.receive('session-5', { type: 'mode-ack', epoch: 2 }, 9);
  for (let i = 1; i <= 5; i++) assert.equal(modes(settled, `session-${i}`), [{ type: 'mode', path: 'relay', warm: true, phase: 'settled', epoch: 3 }]);
  assert.equal(settled.find((a) => a.kind === 'relay-open'), { kind: 'relay-open', epoch: 3 });
});

test('relay messages in plain mesh get wrong-mode and go nowhere', () => {
  const room = new RoomSignalling('r', relayOpts);
  room.connect(who(1), 0);
  const messages: ClientMessage[] = [{ type: 'relay-offer', sdp: 'v=0', epoch: 0 }, { type: 'relay-candidate', candidate: null }, { type: 'view', videos: [] }];
  for (const message of messages) {
    const actions = room.receive('session-1', message, 1);
    assert.equal(kinds(actions), []);
    const reply = sent(actions, 'session-1')[0];
    assert.is(reply?.type === 'error' && reply.code, 'wrong-mode');
  }
});

test('a session leaving a room with a relay leaves the relay too; the last one out closes it', () => {
  const room = new RoomSignalling('r', { ...relayOpts, leaveGraceMs: 0 });
  for (let i = 1; i <= 5; i++) room.connect(who(i), i);
  assert.equal(kinds(room.receive('session-5', { type: 'leave' }, 10)), ['relay-leave']);
  assert.equal(kinds(room.disconnect('session-4', 11)), ['relay-leave']);
  assert.equal(kinds(room.connect(who(3, 'session-3b'), 12)), ['relay-leave'], 'a replaced session leaves the relay');
  for (const s of ['session-1', 'session-2']) room.receive(s, { type: 'leave' }, 13);
  assert.equal(kinds(room.receive('session-3b', { type: 'leave' }, 14)), ['relay-leave', 'relay-close']);
});

test('after two leave, the sweep switches back to mesh once the hold time has passed', () => {
  const room = new RoomSignalling('r', relayOpts);
  for (let i = 1; i <= 5; i++) room.connect(who(i), i);
  for (let i = 1; i <= 5; i++) room.receive(`session-${i}`, { type: 'mode-ack', epoch: 2 }, 10);
  room.receive('session-5', { type: 'leave' }, 100);
  room.receive('session-4', { type: 'leave' }, 100);
  assert.equal(modes(room.sweep(1099), 'session-1'), []);
  const down = room.sweep(1100);
  assert.equal(modes(down, 'session-1'), [{ type: 'mode', path: 'mesh', warm: true, phase: 'switching', epoch: 4 }]);
  assert.equal(room.mode().phase, 'switching');
});

test('a room capped by ROOM_MAX refuses the next participant with room-full', () => {
  const room = new RoomSignalling('r', { ...relayOpts, roomMax: 5 });
  for (let i = 1; i <= 5; i++) room.connect(who(i), i);
  const refusal = sent(room.connect(who(6), 6), 'session-6')[0];
  assert.is(refusal?.type === 'error' && refusal.code, 'room-full');
  assert.match(refusal?.type === 'error' ? refusal.message : '', /full \(5 participants\)/);
});

test.run();
