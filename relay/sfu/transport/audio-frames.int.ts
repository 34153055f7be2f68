/**
 * Longer audio frames as a room grows, through the real relay (RelayRoom, RelayPeers, werift on
 * loopback), with the threshold lowered to 2 relay connections: the first two are answered without
 * `a=ptime` (20 ms); when the third joins it is answered with 60 ms, and the first two are asked,
 * once each, to offer again (`relay-reoffer`), which they are then answered at 60 ms. When the room
 * shrinks back nobody is asked anything.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestRoom } from './test-room.ts';

const ptime = (sdp: string | undefined) => /^a=ptime:(\d+)/m.exec(sdp ?? '')?.[1] ?? 'none';

test('past the threshold, the relay asks those answered with 20 ms frames to offer again, and answers them with 60 ms', async () => {
  const t = new TestRoom('room-frames', { largeRoom: 2 });
  const { room, answers } = t;
  const join = (id: string, tag: number) => t.join({ id, tag, slots: { audio: 1, video: 1 } });
  try {
    const a = await join('session-a', 1);
    const b = await join('session-b', 2);
    assert.equal([ptime(answers.get('session-a')), ptime(answers.get('session-b'))], ['none', 'none'], 'a small room: 20 ms, said by saying nothing');
    assert.equal([a.reoffers, b.reoffers], [0, 0]);

    const c = await join('session-c', 3);
    assert.is(ptime(answers.get('session-c')), '60', 'the third is answered with 60 ms frames');
    await sleep(50);
    assert.equal([a.reoffers, b.reoffers, c.reoffers], [1, 1, 0], 'the first two are asked to offer again, once');

    for (const [id, client] of [['session-a', a], ['session-b', b]] as const) await room.handle(id, { type: 'relay-offer', sdp: await client.offer(), epoch: 1 });
    assert.equal([ptime(answers.get('session-a')), ptime(answers.get('session-b'))], ['60', '60'], 'their new answers ask 60 ms');
    await sleep(50);
    assert.equal([a.reoffers, b.reoffers], [1, 1], 'not asked again');

    room.leave('session-c');
    await room.handle('session-a', { type: 'relay-offer', sdp: await a.offer(), epoch: 1 });
    await sleep(50);
    assert.equal([a.reoffers, b.reoffers], [1, 1], 'a room shrinking back asks nothing');
    assert.is(ptime(answers.get('session-a')), 'none', 'an offer of its own is answered for the room as it is');
  } finally {
    await t.close();
  }
});

test.run();
