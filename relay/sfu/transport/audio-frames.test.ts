import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AudioFrames } from './audio-frames.ts';

test('AudioFrames: sessions answered with shorter frames than the room wants are asked once; answered again, they can be asked again', () => {
  const f = new AudioFrames();
  f.answered('a', 20);
  f.answered('b', 20);
  assert.equal(f.toAsk(20), [], 'the room wants what they have');
  f.answered('c', 60);
  assert.equal(f.toAsk(60), ['a', 'b']);
  assert.equal(f.toAsk(60), [], 'once');
  f.answered('a', 60);
  assert.equal(f.toAsk(60), [], 'a has them now; b was asked already');
  assert.equal(f.toAsk(20), [], 'a room shrinking back asks nothing');
  f.answered('b', 20); // b offered for reasons of its own while the room was small
  assert.equal(f.toAsk(60), ['b'], 'answered again with shorter frames: asked again when the room is large');
  f.forget('b');
  f.answered('d', 20);
  assert.equal(f.toAsk(60), ['d'], 'a session gone is forgotten');
});

test.run();
