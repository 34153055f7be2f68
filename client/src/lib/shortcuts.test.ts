import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matchShortcut, shortcutLabel } from './shortcuts.ts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; code: string }> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods,
});

test('matchShortcut() maps Ctrl+D to mic and Ctrl+E to camera, Cmd too', () => {
  assert.is(matchShortcut(key('d', { ctrlKey: true })), 'mic');
  assert.is(matchShortcut(key('E', { metaKey: true })), 'camera');
  assert.is(matchShortcut(key('h', { ctrlKey: true, altKey: true, code: 'KeyH' })), 'hand');
  assert.is(matchShortcut(key('˙', { ctrlKey: true, altKey: true, code: 'KeyH' })), 'hand', 'macOS Alt letters');
});

test('matchShortcut() ignores plain typing and other combos', () => {
  assert.is(matchShortcut(key('d')), null);
  assert.is(matchShortcut(key('d', { ctrlKey: true, shiftKey: true })), null);
  assert.is(matchShortcut(key('x', { ctrlKey: true })), null);
});

test('matchShortcut() turns pages with plain Page Up / Page Down only', () => {
  assert.is(matchShortcut(key('PageDown', { code: 'PageDown' })), 'nextPage');
  assert.is(matchShortcut(key('PageUp', { code: 'PageUp' })), 'previousPage');
  assert.is(matchShortcut(key('PageDown', { ctrlKey: true, code: 'PageDown' })), null, 'Ctrl+PageDown is the browser’s next tab');
  assert.is(shortcutLabel('nextPage'), 'Page Down');
});

test('shortcutLabel() renders for titles', () => {
  assert.is(shortcutLabel('mic'), 'Ctrl+D');
  assert.is(shortcutLabel('hand', true), '⌘+⌥+H');
});

test.run();
