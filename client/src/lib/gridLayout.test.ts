import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bestGrid } from './gridLayout.ts';

test('bestGrid() puts one tile alone and fills the box', () => {
  const g = bestGrid(1, 1600, 900, 16 / 9, 0);
  assert.equal([g.columns, g.rows, g.tileWidth, g.tileHeight], [1, 1, 1600, 900]);
});

test('bestGrid() goes side by side on a wide screen and stacked on a phone', () => {
  assert.is(bestGrid(2, 1600, 600).columns, 2);
  assert.is(bestGrid(2, 390, 700).columns, 1);
});

test('bestGrid() makes a 2x2 for four tiles in a 16:9 box', () => {
  const g = bestGrid(4, 1600, 900);
  assert.equal([g.columns, g.rows], [2, 2]);
});

test('bestGrid() never exceeds the box', () => {
  for (let n = 1; n <= 12; n++) {
    const g = bestGrid(n, 1000, 700);
    assert.ok(g.columns * g.rows >= n);
    assert.ok(g.tileWidth * g.columns <= 1000 + 1e-6);
    assert.ok(g.tileHeight * g.rows <= 700 + 1e-6);
  }
});

test('bestGrid() survives an empty or zero-sized box', () => {
  assert.is(bestGrid(0, 100, 100).columns, 1);
  assert.is(bestGrid(3, 0, 0).tileWidth, 0);
});

test.run();
