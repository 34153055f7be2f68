import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextSpeaking, rmsLevel, SPEAKING_HOLD_MS } from './speaking.ts';

test('rmsLevel() is 0 for silence and ~1 for a full-scale square wave', () => {
  assert.is(rmsLevel(new Uint8Array([128, 128, 128])), 0);
  assert.ok(rmsLevel(new Uint8Array([0, 255, 0, 255])) > 0.99);
  assert.is(rmsLevel(new Uint8Array([])), 0);
});

test('nextSpeaking() turns on at once and off only after the hold', () => {
  let s = { speaking: false, lastLoudAt: 0 };
  s = nextSpeaking(s, 0.2, 1000);
  assert.ok(s.speaking);
  s = nextSpeaking(s, 0, 1000 + SPEAKING_HOLD_MS - 1);
  assert.ok(s.speaking);
  s = nextSpeaking(s, 0, 1000 + SPEAKING_HOLD_MS);
  assert.not.ok(s.speaking);
  assert.is(nextSpeaking(s, 0.001, 5000), s, 'no change while quiet');
});

test.run();
