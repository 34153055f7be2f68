import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { format, pickLang } from './format.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

test('format() fills placeholders and keeps unknown ones', () => {
  assert.is(format('limited to {n} participants', { n: 4 }), 'limited to 4 participants');
  assert.is(format('{a} {b}', { a: 'x' }), 'x {b}');
  assert.is(format('plain'), 'plain');
});

test('pickLang() prefers the stored choice, then the browser list, then English', () => {
  assert.is(pickLang('fr', ['en-US']), 'fr');
  assert.is(pickLang(null, ['de-DE', 'fr-CA', 'en']), 'fr');
  assert.is(pickLang('xx', ['de']), 'en');
});

test('fr has every key of en and uses the same placeholders', () => {
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    assert.ok(typeof fr[key] === 'string' && fr[key].length > 0, key);
    assert.is(placeholders(fr[key]), placeholders(en[key]), key);
  }
});

test.run();
