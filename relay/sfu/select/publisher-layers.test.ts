import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PublisherLayers } from './publisher-layers.ts';

test('PublisherLayers: a new camera sends every layer until fewer are wanted for the hold; nobody showing it pauses it', () => {
  const p = new PublisherLayers({ downHoldMs: 3000 });
  assert.is(p.update('a', 2, 3, 0), undefined, 'all wanted: as it publishes');
  assert.is(p.update('b', -1, 3, 0), undefined, 'nobody shows it yet: the hold first');
  assert.is(p.update('b', -1, 3, 2999), undefined);
  assert.is(p.update('b', -1, 3, 3000), 0, 'nobody showed it for 3 s: nothing');
  assert.is(p.update('b', 0, 3, 3100), 1, 'a viewer: q at once');
  assert.is(p.update('c', 5, 2, 0), undefined, 'never more than it publishes');
});

test('PublisherLayers: more layers at once, fewer only after the hold, and a blip back up cancels the wait', () => {
  const p = new PublisherLayers({ downHoldMs: 3000 });
  assert.is(p.update('a', 0, 3, 0), undefined);
  assert.is(p.update('a', 0, 3, 3000), 1, 'q alone after the hold');
  assert.is(p.update('a', 0, 3, 3500), undefined, 'unchanged');
  assert.is(p.update('a', 2, 3, 4000), 3, 'up at once');
  assert.is(p.update('a', 0, 3, 5000), undefined);
  assert.is(p.update('a', 2, 3, 7000), undefined, 'wanted again: the wait starts over');
  assert.is(p.update('a', 1, 3, 7500), undefined);
  assert.is(p.update('a', 1, 3, 10000), undefined);
  assert.is(p.update('a', 1, 3, 10500), 2, 'down after 3 s of wanting less');
  p.forget('a');
  assert.is(p.update('a', 2, 3, 11000), undefined, 'forgotten: a new publication, every layer');
});

test.run();
