import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { thresholdPolicy } from './policy.ts';
import { RoomMode } from './room-mode.ts';
import type { ModeState } from './room-mode.ts';

const sessions = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);
const snapshot = (n: number, serverMedia = false) => ({ sessions: sessions(n), participants: n, serverMedia });

function machine() {
  const log: string[] = [];
  const mode = new RoomMode(thresholdPolicy({ meshMax: 4, holdMs: 10_000 }), 15_000, (from, to, epoch) => log.push(`${from} -> ${to} @${epoch}`));
  return { mode, log };
}

test('a room warms the relay at MESH_MAX and escalates when the next participant joins', () => {
  const { mode, log } = machine();
  assert.equal(mode.update(snapshot(3), 0), []);
  assert.equal(mode.update(snapshot(4), 1), [{ type: 'mode', path: 'mesh', warm: true, phase: 'settled', epoch: 1 }]);
  assert.equal(mode.update(snapshot(5), 2), [{ type: 'mode', path: 'relay', warm: true, phase: 'switching', epoch: 2 }]);
  assert.equal(log, ['mesh -> mesh-warm @1', 'mesh-warm -> escalating @2']);
});

test('the switch settles when every session present at its start has acknowledged or left', () => {
  const { mode } = machine();
  mode.update(snapshot(5), 0);
  assert.is(mode.state, 'escalating');
  for (const s of ['s1', 's2', 's3']) assert.equal(mode.ack(s, mode.epoch, 10), []);
  assert.equal(mode.ack('s4', mode.epoch - 1, 11), [], 'an ack of an older switch is ignored');
  mode.update({ sessions: ['s1', 's2', 's3', 's4'], participants: 5, serverMedia: false }, 12); // s5 left mid-switch
  assert.equal(mode.ack('s4', mode.epoch, 13), [{ type: 'mode', path: 'relay', warm: true, phase: 'settled', epoch: 2 }]);
  assert.is(mode.state, 'relay');
});

test('a switch that some client never acknowledges settles after the timeout', () => {
  const { mode } = machine();
  mode.update(snapshot(6), 0);
  assert.equal(mode.update(snapshot(6), 14_999), []);
  assert.is(mode.update(snapshot(6), 15_000)[0]?.phase, 'settled');
  assert.is(mode.state, 'relay');
});

test('the room returns to mesh only after staying small for the hold time, and stays warm at MESH_MAX', () => {
  const { mode, log } = machine();
  mode.update(snapshot(6), 0);
  mode.update(snapshot(6), 15_000);
  mode.update(snapshot(4), 20_000);
  assert.is(mode.state, 'relay');
  assert.equal(mode.update(snapshot(4), 29_999), []);
  assert.is(mode.update(snapshot(4), 30_000)[0]?.path, 'mesh');
  assert.is(mode.state, 'de-escalating');
  for (const s of sessions(4)) mode.ack(s, mode.epoch, 31_000);
  assert.is(mode.state as ModeState, 'mesh-warm');
  assert.is(log.at(-1), 'de-escalating -> mesh-warm @4');
});

test('a room that shrank well below MESH_MAX also drops its warm relay connection on the way back', () => {
  const { mode, log } = machine();
  mode.update(snapshot(6), 0);
  mode.update(snapshot(6), 15_000);
  mode.update(snapshot(2), 20_000);
  mode.update(snapshot(2), 30_000);
  for (const s of sessions(2)) mode.ack(s, mode.epoch, 31_000);
  assert.equal(log.slice(-2), ['de-escalating -> mesh-warm @4', 'mesh-warm -> mesh @5']);
});

test('a participant stepping out for less than the hold time does not switch the room back', () => {
  const { mode } = machine();
  mode.update(snapshot(5), 0);
  mode.update(snapshot(5), 15_000);
  mode.update(snapshot(4), 16_000);
  mode.update(snapshot(5), 20_000);
  mode.update(snapshot(4), 21_000);
  assert.equal(mode.update(snapshot(4), 30_000), [], 'the hold restarted at 21 s');
  assert.is(mode.state, 'relay');
});

test('a join during the way back to mesh escalates again with a new epoch', () => {
  const { mode } = machine();
  mode.update(snapshot(5), 0);
  mode.update(snapshot(5), 15_000);
  mode.update(snapshot(2), 16_000);
  mode.update(snapshot(2), 26_000);
  assert.is(mode.state, 'de-escalating');
  const before = mode.epoch;
  assert.equal(mode.update(snapshot(5), 27_000), [{ type: 'mode', path: 'relay', warm: true, phase: 'switching', epoch: before + 1 }]);
});

test('recording escalates a two-person room; when it stops the room goes back after the hold', () => {
  const { mode } = machine();
  mode.update(snapshot(2), 0);
  mode.update(snapshot(2, true), 1000);
  assert.is(mode.state, 'escalating');
  mode.ack('s1', mode.epoch, 1100);
  mode.ack('s2', mode.epoch, 1200);
  assert.is(mode.state, 'relay');
  mode.update(snapshot(2, false), 5000);
  assert.equal(mode.update(snapshot(2), 14_999), []);
  assert.is(mode.update(snapshot(2), 15_000)[0]?.path, 'mesh');
});

test('a warm room that shrinks drops the warm-up after the hold time', () => {
  const { mode } = machine();
  mode.update(snapshot(4), 0);
  mode.update(snapshot(3), 1000);
  assert.equal(mode.update(snapshot(3), 10_999), []);
  assert.equal(mode.update(snapshot(3), 11_000), [{ type: 'mode', path: 'mesh', warm: false, phase: 'settled', epoch: 2 }]);
});

test.run();
