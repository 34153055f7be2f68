import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PAGE_SIZE, clampPage, keepOrder, pageSizeFrom, paginate, promote, type PagedTile } from './paging.ts';

const self: PagedTile = { key: 'self:camera', sessionId: 'me', pinned: true };
const cam = (id: string): PagedTile => ({ key: `${id}:camera`, sessionId: id, pinned: false });
const screen = (id: string): PagedTile => ({ key: `${id}:screen`, sessionId: id, pinned: true });
const people = (n: number) => Array.from({ length: n }, (_, i) => cam(`p${i}`));
const keys = (tiles: PagedTile[]) => tiles.map((t) => t.key);
const base = { previousOrder: [] as string[], page: 0, pageSize: 3, speaker: null, lastSpoke: new Map<string, number>() };

test('paginate() puts the pinned tiles on every page and fills the rest of each page in order', () => {
  const tiles = [self, ...people(5)];
  const first = paginate({ ...base, tiles });
  assert.equal(keys(first.visible), ['self:camera', 'p0:camera', 'p1:camera']);
  assert.is(first.pages, 3);
  const last = paginate({ ...base, tiles, previousOrder: first.order, page: 2 });
  assert.equal(keys(last.visible), ['self:camera', 'p4:camera']);
});

test('paginate() keeps screen shares pinned first and at least one other tile per page', () => {
  const tiles = [self, screen('a'), screen('b'), ...people(2)];
  const r = paginate({ ...base, tiles });
  assert.equal(keys(r.visible), ['self:camera', 'a:screen', 'b:screen', 'p0:camera']);
  assert.is(r.pages, 2);
});

test('paginate() of a room that fits one page shows everyone on one page', () => {
  const r = paginate({ ...base, tiles: [self, ...people(24)], pageSize: PAGE_SIZE });
  assert.is(r.pages, 1);
  assert.is(r.visible.length, 25);
});

test('paginate() clamps the page when people leave', () => {
  const all = [self, ...people(6)];
  const before = paginate({ ...base, tiles: all, page: 2 });
  assert.is(before.page, 2);
  const after = paginate({ ...base, tiles: all.slice(0, 3), previousOrder: before.order, page: 2 });
  assert.is(after.pages, 1);
  assert.is(after.page, 0);
  assert.equal(keys(after.visible), ['self:camera', 'p0:camera', 'p1:camera']);
});

test('keepOrder() keeps everyone in place when someone joins or leaves', () => {
  assert.equal(keepOrder(['c', 'a', 'b'], ['a', 'b', 'c', 'd']), ['c', 'a', 'b', 'd']);
  assert.equal(keepOrder(['c', 'a', 'b'], ['b', 'c']), ['c', 'b']);
});

test('paginate() promotes the active speaker onto the first page, swapping out one tile only', () => {
  const tiles = [self, ...people(6)];
  const first = paginate({ ...base, tiles });
  const r = paginate({ ...base, tiles, previousOrder: first.order, speaker: 'p4' });
  // The first page holds p0, p1; neither spoke: the later one (p1) makes room and takes p4's place.
  assert.equal(r.order, ['p0:camera', 'p4:camera', 'p2:camera', 'p3:camera', 'p1:camera', 'p5:camera']);
  assert.equal(keys(r.visible), ['self:camera', 'p0:camera', 'p4:camera']);
  const again = paginate({ ...base, tiles, previousOrder: r.order, speaker: 'p4' });
  assert.equal(again.order, r.order, 'a speaker already on the first page moves nobody');
});

test('promote() swaps out whoever spoke least recently, so two speakers taking turns both stay', () => {
  const lastSpoke = new Map([['a', 100], ['b', 50]]);
  const at = (k: string) => lastSpoke.get(k) ?? -Infinity;
  assert.equal(promote(['a', 'b', 'c', 'd'], 'd', 2, at), ['a', 'd', 'c', 'b']);
  lastSpoke.set('d', 200);
  assert.equal(promote(['a', 'd', 'c', 'b'], 'c', 2, at), ['c', 'd', 'a', 'b']);
  assert.equal(promote(['a', 'b'], null, 1, at), ['a', 'b']);
});

test('paginate() does not promote a pinned speaker (self) nor an unknown one', () => {
  const tiles = [self, ...people(4)];
  const first = paginate({ ...base, tiles });
  assert.equal(paginate({ ...base, tiles, previousOrder: first.order, speaker: 'me' }).order, first.order);
  assert.equal(paginate({ ...base, tiles, previousOrder: first.order, speaker: 'gone' }).order, first.order);
});

test('clampPage() stays within the pages there are', () => {
  assert.is(clampPage(-1, 3), 0);
  assert.is(clampPage(5, 3), 2);
  assert.is(clampPage(1, 0), 0);
  assert.is(clampPage(NaN, 3), 0);
});

test('pageSizeFrom() reads ?pageSize=N within 2…25, 25 otherwise', () => {
  assert.is(pageSizeFrom(''), PAGE_SIZE);
  assert.is(pageSizeFrom('?pageSize=2'), 2);
  assert.is(pageSizeFrom('?pageSize=1'), 2);
  assert.is(pageSizeFrom('?pageSize=100'), PAGE_SIZE);
  assert.is(pageSizeFrom('?pageSize=abc'), PAGE_SIZE);
});

test.run();
