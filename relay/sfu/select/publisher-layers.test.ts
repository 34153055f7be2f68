import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PublisherLayers } from './publisher-layers.ts';

test('PublisherLayers: the first answer is what is wanted, at least the lowest layer', () => {
  const p = new PublisherLayers();
  assert.is(p.update('a', 2, 3, 0), 3);
  assert.is(p.update('b', -1, 3, 0), 1, 'nobody shows it: keep q for a quick start');
  assert.is(p.update('c', 2, 2, 0), 2, 'never more than it publishes');
});

test('PublisherLayers: more layers at once, fewer only after the hold, and a blip back up cancels the wait', () => {
  const p = new PublisherLayers({ downHoldMs: 3000 });
  assert.is(p.update('a', 0, 3, 0), 1);
  assert.is(p.update('a', 0, 3, 500), undefined, 'unchanged');
  assert.is(p.update('a', 2, 3, 1000), 3, 'up at once');
  assert.is(p.update('a', 0, 3, 2000), undefined);
  assert.is(p.update('a', 2, 3, 4000), undefined, 'wanted again: the wait starts over');
  assert.is(p.update('a', 1, 3, 4500), undefined);
  assert.is(p.update('a', 1, 3, 7000), undefined);
  assert.is(p.update('a', 1, 3, 7500), 2, 'down after 3 s of wanting less');
  p.forget('a');
  assert.is(p.update('a', 0, 3, 8000), 1, 'forgotten: answers again');
});

test.run();
