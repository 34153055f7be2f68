import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldForSearch, handsFirst, keepIdentity, matchingIds, orderParticipants, sortByName } from './participantList.ts';

const p = (participantId: string, name: string, self = false) => ({ participantId, name, self, sessionId: `s-${participantId}` });
const names = (list: Array<{ name: string }>) => list.map((x) => x.name);

test('foldForSearch() drops case and accents', () => {
  assert.is(foldForSearch(' Éloïse '), 'eloise');
  assert.is(foldForSearch('ZOÉ'), 'zoe');
  assert.is(foldForSearch('François Ñúñez'), 'francois nunez');
});

test('orderParticipants() finds names whatever their case and accents', () => {
  const list = [p('1', 'Éloïse'), p('2', 'Zoé'), p('3', 'Bruno'), p('4', 'Héloïse')];
  assert.equal(names(orderParticipants(list, [], 'eloise')), ['Éloïse', 'Héloïse']);
  assert.equal(names(orderParticipants(list, [], 'ZOE')), ['Zoé']);
  assert.equal(names(orderParticipants(list, [], 'xyz')), []);
});

test('orderParticipants() lists raised hands first in queue order, then self, then by name', () => {
  const list = [p('me', 'Mia', true), p('1', 'zed'), p('2', 'Anna'), p('3', 'Émile'), p('4', 'Bob')];
  assert.equal(names(orderParticipants(list, ['4', '1'], '')), ['Bob', 'zed', 'Mia', 'Anna', 'Émile']);
});

test('handsFirst() puts raised hands on top of a name order without re-sorting the rest', () => {
  const byName = sortByName([p('me', 'Mia', true), p('1', 'zed'), p('2', 'Anna'), p('3', 'Émile'), p('4', 'Bob')]);
  assert.equal(names(byName), ['Anna', 'Bob', 'Émile', 'Mia', 'zed']);
  assert.equal(names(handsFirst(byName, ['1', '3'])), ['zed', 'Émile', 'Mia', 'Anna', 'Bob']);
  assert.equal(names(handsFirst(byName, [])), ['Mia', 'Anna', 'Bob', 'Émile', 'zed']);
});

test('matchingIds() gives the ids whose names match, and null (everyone) for an empty query', () => {
  const list = [p('1', 'Éloïse'), p('2', 'Zoé'), p('3', 'Héloïse')];
  assert.equal([...matchingIds(list, ' ELOI')!].sort(), ['1', '3']);
  assert.equal([...matchingIds(list, 'xyz')!], []);
  assert.is(matchingIds(list, '  '), null);
});

test('keepIdentity() keeps unchanged rows as the same objects and drops leavers', () => {
  const cache = new Map();
  const first = keepIdentity(cache, [p('1', 'Ada'), p('2', 'Bo')]);
  const second = keepIdentity(cache, [p('1', 'Ada'), p('2', 'Bob'), p('3', 'Cy')]);
  assert.is(second[0], first[0]);
  assert.is.not(second[1], first[1]);
  keepIdentity(cache, [p('3', 'Cy')]);
  assert.equal([...cache.keys()], ['3']);
});

test.run();
