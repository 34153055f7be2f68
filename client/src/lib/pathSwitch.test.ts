import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isNewerMode, meshInitiator, shownPath, switchDone } from './pathSwitch.ts';

const none = { has: false, decoding: false };
const waiting = { has: true, decoding: false };
const live = { has: true, decoding: true };

test('shownPath() keeps the old path until the target decodes, then swaps', () => {
  assert.is(shownPath('relay', { mesh: live, relay: waiting }), 'mesh');
  assert.is(shownPath('relay', { mesh: live, relay: live }), 'relay');
  assert.is(shownPath('mesh', { mesh: waiting, relay: live }), 'relay');
  assert.is(shownPath('mesh', { mesh: live, relay: live }), 'mesh');
});

test('shownPath() falls back to the target when the old path has nothing, and to nothing', () => {
  assert.is(shownPath('relay', { mesh: none, relay: waiting }), 'relay');
  assert.is(shownPath('relay', { mesh: none, relay: none }), null);
});

test('switchDone() once every tile shows the target (tiles with nothing do not hold it up)', () => {
  assert.ok(switchDone('relay', ['relay', null, 'relay']));
  assert.not.ok(switchDone('relay', ['relay', 'mesh']));
  assert.ok(switchDone('mesh', []));
});

test('isNewerMode() ignores older epochs and repeats', () => {
  const m = { path: 'relay' as const, warm: true, phase: 'switching' as const, epoch: 2 };
  assert.ok(isNewerMode(null, m));
  assert.not.ok(isNewerMode(m, { ...m, epoch: 1, path: 'mesh' }));
  assert.not.ok(isNewerMode(m, m));
  assert.ok(isNewerMode(m, { ...m, epoch: 3, phase: 'settled' }));
});

test('meshInitiator() picks exactly one side', () => {
  assert.ok(meshInitiator('a', 'b') !== meshInitiator('b', 'a'));
});

test.run();
