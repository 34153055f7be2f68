import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LARGE_ROOM, audioFrameMs } from './negotiation.ts';

test('audioFrameMs(): 20 ms up to a large room, 60 ms above under auto; a fixed setting wins', () => {
  assert.is(audioFrameMs(5), 20);
  assert.is(audioFrameMs(LARGE_ROOM), 20);
  assert.is(audioFrameMs(LARGE_ROOM + 1), 60);
  assert.is(audioFrameMs(150, 'auto'), 60);
  assert.is(audioFrameMs(150, 20), 20);
  assert.is(audioFrameMs(3, 40), 40);
});

test.run();
