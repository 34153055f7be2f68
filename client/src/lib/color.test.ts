import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { colorFor, initials } from './color.ts';

test('colorFor() is stable per id', () => {
  assert.is(colorFor('abc'), colorFor('abc'));
  assert.match(colorFor('abc'), /^hsl\(\d+ 55% 45%\)$/);
});

test('initials() takes first and last word, emoji-safe', () => {
  assert.is(initials('Ada Lovelace'), 'AL');
  assert.is(initials(' marie  curie sklodowska '), 'MS');
  assert.is(initials('Zoé'), 'Z');
  assert.is(initials(''), '?');
  assert.is(initials('😀 x'), '😀X');
});

test.run();
