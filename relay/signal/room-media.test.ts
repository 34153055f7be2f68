import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RoomMedia, snapshot } from './room-media.ts';

const options = { meshMax: 4, modeHoldMs: 1000, relayAvailable: true };
const room = (n: number) => snapshot(Array.from({ length: n }, (_, i) => ({ sessionId: `s${i + 1}`, participantId: `p${i + 1}` })));

test('snapshot() counts sessions, and participants once however many sessions they have', () => {
  const s = snapshot([
    { sessionId: 'a1', participantId: 'a' },
    { sessionId: 'a2', participantId: 'a' },
    { sessionId: 'b1', participantId: 'b' },
  ]);
  assert.equal(s, { sessions: ['a1', 'a2', 'b1'], participants: 2, serverMedia: false });
});

test('a small room stays in settled mesh without a relay', () => {
  const media = new RoomMedia(options);
  for (let n = 1; n <= 3; n++) assert.equal(media.update(room(n), n), { messages: [], relay: undefined, transitions: [] });
  assert.equal(media.message(), { type: 'mode', path: 'mesh', warm: false, phase: 'settled', epoch: 0 });
  assert.not.ok(media.relayOpen);
});

test('reaching MESH_MAX warms the room and opens its relay at the new epoch', () => {
  const media = new RoomMedia(options);
  media.update(room(3), 0);
  const out = media.update(room(4), 1);
  assert.equal(out.messages, [{ type: 'mode', path: 'mesh', warm: true, phase: 'settled', epoch: 1 }]);
  assert.equal(out.relay, { kind: 'open', epoch: 1 });
  assert.equal(out.transitions, [{ from: 'mesh', to: 'mesh-warm', epoch: 1 }]);
  assert.ok(media.relayOpen);
});

test('one more escalates: the relay gets the switch epoch, and settles once everyone acked', () => {
  const media = new RoomMedia(options);
  media.update(room(4), 0);
  const up = media.update(room(5), 1);
  assert.equal(up.messages, [{ type: 'mode', path: 'relay', warm: true, phase: 'switching', epoch: 2 }]);
  assert.equal(up.relay, { kind: 'open', epoch: 2 });
  for (let i = 1; i <= 4; i++) assert.equal(media.ack(`s${i}`, 2, 2).messages, []);
  assert.equal(media.ack('s5', 1, 2).messages, [], 'an ack of an older epoch does not count');
  const settled = media.ack('s5', 2, 3);
  assert.equal(settled.messages, [{ type: 'mode', path: 'relay', warm: true, phase: 'settled', epoch: 3 }]);
  assert.equal(settled.relay, { kind: 'open', epoch: 3 }, 'every new epoch reaches the relay');
});

test('back under the threshold, the room waits for the hold time, then switches back to warm mesh', () => {
  const media = new RoomMedia(options);
  media.update(room(5), 0);
  for (let i = 1; i <= 5; i++) media.ack(`s${i}`, 1, 0);
  assert.is(media.state, 'relay');
  assert.equal(media.update(room(3), 100).messages, []);
  assert.equal(media.update(room(3), 1099).messages, [], 'not before the hold time');
  const down = media.update(room(3), 1100);
  assert.equal(down.messages, [{ type: 'mode', path: 'mesh', warm: true, phase: 'switching', epoch: 3 }]);
  assert.equal(down.relay, { kind: 'open', epoch: 3 }, 'the relay stays while clients switch back');
  media.ack('s1', 3, 1200);
  media.ack('s2', 3, 1200);
  const settled = media.ack('s3', 3, 1200);
  // Three has been under the warm-up threshold since 100, longer than the hold: the room cools at once.
  assert.equal(settled.messages, [
    { type: 'mode', path: 'mesh', warm: true, phase: 'settled', epoch: 4 },
    { type: 'mode', path: 'mesh', warm: false, phase: 'settled', epoch: 5 },
  ]);
  assert.equal(settled.relay, { kind: 'close' });
  assert.not.ok(media.relayOpen);
});

test('a room back at MESH_MAX after the switch back stays warm, and cools only after the hold', () => {
  const media = new RoomMedia(options);
  media.update(room(5), 0);
  for (let i = 1; i <= 5; i++) media.ack(`s${i}`, 1, 0);
  media.update(room(4), 100);
  media.update(room(4), 1100);
  for (let i = 1; i <= 4; i++) media.ack(`s${i}`, 3, 1200);
  assert.is(media.state, 'mesh-warm');
  assert.ok(media.relayOpen);
  media.update(room(3), 1300);
  assert.equal(media.update(room(3), 2299).messages, []);
  const cooled = media.update(room(3), 2300);
  assert.equal(cooled.messages, [{ type: 'mode', path: 'mesh', warm: false, phase: 'settled', epoch: 5 }]);
  assert.equal(cooled.relay, { kind: 'close' });
});

test('a reload during the hold (leave, rejoin) keeps the room on the relay', () => {
  const media = new RoomMedia(options);
  media.update(room(5), 0);
  for (let i = 1; i <= 5; i++) media.ack(`s${i}`, 1, 0);
  media.update(room(4), 100);
  assert.equal(media.update(room(5), 600).messages, []);
  assert.equal(media.update(room(5), 5000).messages, []);
  assert.is(media.state, 'relay');
});

test('an emptied room closes its relay at once, whatever its mode', () => {
  const media = new RoomMedia(options);
  media.update(room(5), 0);
  const out = media.update(room(0), 1);
  assert.equal(out.relay, { kind: 'close' });
  assert.not.ok(media.relayOpen);
});

test('without a relay the room never leaves settled mesh at epoch 0', () => {
  const media = new RoomMedia({ ...options, relayAvailable: false });
  assert.equal(media.update(room(8), 0), { messages: [], relay: undefined, transitions: [] });
  assert.equal(media.ack('s1', 0, 1).messages, []);
  assert.is(media.message().epoch, 0);
});

test.run();
