import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_RESENT_CANDIDATES, Resend } from './resend.ts';

test('nothing to send again before an offer; candidates before any offer are not kept', () => {
  const r = new Resend<string>();
  r.candidate('c0');
  assert.equal(r.again(true), []);
});

test('the offer while unanswered, then its candidates in order; once answered, the candidates alone', () => {
  const r = new Resend<string>();
  r.offer('o1');
  r.candidate('c1');
  r.candidate('c2');
  assert.equal(r.again(true), ['o1', 'c1', 'c2']);
  assert.equal(r.again(false), ['c1', 'c2']);
});

test('a new offer replaces the old one and its candidates (they belong to the old credentials)', () => {
  const r = new Resend<string>();
  r.offer('o1');
  r.candidate('c1');
  r.offer('o2');
  r.candidate('c2');
  assert.equal(r.again(true), ['o2', 'c2']);
});

test('at most MAX_RESENT_CANDIDATES candidates are kept; clear() forgets everything', () => {
  const r = new Resend<number>();
  r.offer(-1);
  for (let i = 0; i < MAX_RESENT_CANDIDATES + 10; i++) r.candidate(i);
  assert.is(r.again(false).length, MAX_RESENT_CANDIDATES);
  assert.is(r.again(false).at(-1), MAX_RESENT_CANDIDATES - 1);
  r.clear();
  assert.equal(r.again(true), []);
});

test.run();
