import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldForSearch, keepIdentity, orderParticipants } from './participantList.ts';

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

test('orderParticipants() stays quick with 150 names', () => {
  const list = Array.from({ length: 150 }, (_, i) => p(String(i), `Participant ${i} Ünïcödé`));
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) orderParticipants(list, ['7', '99'], i % 2 ? 'unicode 1' : '');
  const perCall = (performance.now() - t0) / 100;
  assert.ok(perCall < 5, `${perCall.toFixed(2)} ms per call`);
  assert.is(orderParticipants(list, ['7'], '')[0]!.participantId, '7');
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
