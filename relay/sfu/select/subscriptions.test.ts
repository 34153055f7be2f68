import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Subscriptions, type ShownTile } from './subscriptions.ts';

const Q = 0;
const H = 1;
const F = 2;

const tile = (publisherId: string, width = 320, height = 180, kind: 'video' | 'screen' = 'video'): ShownTile => ({ publisherId, kind, width, height });

/** A room of `n` participants p0…p(n-1), each subscribed and publishing a camera. */
function room(n: number, options: ConstructorParameters<typeof Subscriptions>[0] = {}): Subscriptions {
  const subs = new Subscriptions(options);
  for (let i = 0; i < n; i++) {
    subs.addSubscriber(`p${i}`);
    subs.publish(`p${i}`, 'video');
  }
  return subs;
}

/** Every participant in `talkers` speaks at -25 dBov, the others are silent, for `ms` from `from`. */
function speak(subs: Subscriptions, n: number, talkers: readonly string[], from: number, ms: number): number {
  for (let now = from; now < from + ms; now += 20) {
    for (let i = 0; i < n; i++) subs.speakers.observe(`p${i}`, talkers.includes(`p${i}`) ? 25 : 127, true, now);
  }
  return from + ms;
}

test('a subscriber receives only the video it shows', () => {
  const subs = room(12);
  subs.show('p0', [tile('p1'), tile('p2'), tile('p3'), tile('p4')], 0);
  for (let i = 1; i <= 4; i++) subs.onKeyframe(`p${i}`, 'video', Q, 10);
  for (let i = 1; i < 12; i++) {
    const decision = subs.shouldForward('p0', `p${i}`, 'video', Q, 20);
    if (i <= 4) assert.equal(decision, { forward: true }, `p${i} shown`);
    else assert.equal(decision, { forward: false, reason: 'not-shown' }, `p${i} not shown`);
  }
  assert.equal(subs.shouldForward('p0', 'p1', 'video', H, 20), { forward: false, reason: 'other-layer' });
  assert.equal(subs.shouldForward('p5', 'p1', 'video', Q, 20), { forward: false, reason: 'not-shown' }, 'p5 shows nothing');
});

test('a subscriber never receives its own audio, even as the loudest speaker, nor its own video', () => {
  const subs = room(5);
  const now = speak(subs, 5, ['p0'], 0, 1000);
  assert.ok(subs.speakers.isSelected('p0', now));
  assert.equal(subs.shouldForward('p0', 'p0', 'audio', 0, now), { forward: false, reason: 'own' });
  for (let i = 1; i < 5; i++) assert.equal(subs.shouldForward(`p${i}`, 'p0', 'audio', 0, now), { forward: true });
  subs.show('p0', [tile('p0'), tile('p1')], now);
  assert.equal(subs.shouldForward('p0', 'p0', 'video', Q, now), { forward: false, reason: 'own' });
  assert.is(subs.video('p0', 'p0', 'video'), undefined, 'its own tile is not subscribed');
});

test('of 12 microphones only the 3 loudest reach each listener', () => {
  const subs = room(12);
  const now = speak(subs, 12, ['p3', 'p7', 'p9'], 0, 2000);
  for (let listener = 0; listener < 12; listener++) {
    const heard = [];
    for (let i = 0; i < 12; i++) if (subs.shouldForward(`p${listener}`, `p${i}`, 'audio', 0, now).forward) heard.push(`p${i}`);
    const expected = ['p3', 'p7', 'p9'].filter((p) => p !== `p${listener}`);
    assert.equal(heard, expected, `p${listener} hears`);
  }
  assert.equal(subs.shouldForward('p0', 'p1', 'audio', 0, now), { forward: false, reason: 'not-loudest' });
});

test('at most 25 camera tiles and 2 screen shares are received, in the order the client gives', () => {
  const subs = room(40);
  const tiles = [tile('p0'), tile('p1'), tile('p1')];
  for (let i = 2; i < 40; i++) tiles.push(tile(`p${i}`));
  subs.show('p0', tiles, 0);
  const received = [];
  for (let i = 1; i < 40; i++) if (subs.video('p0', `p${i}`, 'video')) received.push(i);
  assert.is(received.length, 25, 'own tile and duplicate not counted');
  assert.is(received[24], 25);
  for (const p of ['p1', 'p2', 'p3']) subs.publish(p, 'screen');
  subs.show('p0', [tile('p1', 1920, 1080, 'screen'), tile('p2', 1920, 1080, 'screen'), tile('p3', 1920, 1080, 'screen')], 0);
  assert.ok(subs.video('p0', 'p1', 'screen') && subs.video('p0', 'p2', 'screen'));
  assert.is(subs.video('p0', 'p3', 'screen'), undefined);
  assert.is(subs.video('p0', 'p1', 'video'), undefined, 'the new report replaced the camera tiles');
});

test('a screen share is its own video: shown without the same person\'s camera', () => {
  const subs = room(3);
  subs.publish('p1', 'screen', [{ rid: 'f', width: 1920, height: 1080, bitrate: 1_000_000 }]);
  subs.show('p0', [tile('p1', 1600, 900, 'screen')], 0);
  subs.onKeyframe('p1', 'screen', 0, 10);
  assert.equal(subs.shouldForward('p0', 'p1', 'screen', 0, 20), { forward: true });
  assert.equal(subs.shouldForward('p0', 'p1', 'video', Q, 20), { forward: false, reason: 'not-shown' });
});

test('tiles shown before the publisher publishes are attached when it does, and detached on unpublish', () => {
  const subs = new Subscriptions();
  subs.addSubscriber('a');
  subs.addSubscriber('b');
  subs.show('a', [tile('b', 640, 360)], 0);
  assert.equal(subs.shouldForward('a', 'b', 'video', H, 0), { forward: false, reason: 'not-shown' });
  subs.publish('b', 'video');
  const requests = subs.update(100);
  assert.equal(requests, [{ publisherId: 'b', kind: 'video', layer: H }]);
  assert.equal(subs.shouldForward('a', 'b', 'video', H, 100), { forward: false, reason: 'awaiting-keyframe' });
  assert.is(subs.onKeyframe('b', 'video', H, 150), 1);
  assert.equal(subs.shouldForward('a', 'b', 'video', H, 150), { forward: true });
  subs.unpublish('b', 'video');
  assert.equal(subs.shouldForward('a', 'b', 'video', H, 200), { forward: false, reason: 'not-shown' });
  subs.publish('b', 'video'); // republished after a reconnection: still shown
  assert.ok(subs.video('a', 'b', 'video'));
});

test('150 subscribers starting the same video cost one keyframe request', () => {
  const subs = room(150);
  let requests = 0;
  for (let i = 1; i < 150; i++) requests += subs.show(`p${i}`, [tile('p0', 320, 180)], i).length;
  assert.is(requests, 1);
  assert.equal(subs.update(300), [], 'throttled, and not yet due for a retry');
  assert.is(subs.update(1100).length, 1, 'no keyframe after 1 s: one retry');
  assert.is(subs.onKeyframe('p0', 'video', Q, 1200), 149);
  assert.equal(subs.update(5000), []);
});

test('a tile that grows switches layer at the keyframe of the new one, the old layer flowing until then', () => {
  const subs = room(2);
  subs.show('p0', [tile('p1', 320, 180)], 0);
  subs.onKeyframe('p1', 'video', Q, 10);
  const requests = subs.show('p0', [tile('p1', 1280, 720)], 100);
  assert.equal(requests, [{ publisherId: 'p1', kind: 'video', layer: F }]);
  assert.equal(subs.shouldForward('p0', 'p1', 'video', Q, 110), { forward: true });
  assert.equal(subs.shouldForward('p0', 'p1', 'video', F, 110), { forward: false, reason: 'other-layer' });
  subs.onKeyframe('p1', 'video', F, 200);
  assert.equal(subs.shouldForward('p0', 'p1', 'video', F, 210), { forward: true });
  assert.equal(subs.shouldForward('p0', 'p1', 'video', Q, 210), { forward: false, reason: 'other-layer' });
});

test('a hidden tile and a starved subscriber are paused', () => {
  const subs = room(3);
  subs.show('p0', [tile('p1', 0, 0), tile('p2', 320, 180)], 0);
  assert.equal(subs.shouldForward('p0', 'p1', 'video', Q, 0), { forward: false, reason: 'paused' });
  subs.onKeyframe('p2', 'video', Q, 10);
  subs.setBandwidth('p0', 200_000, 20); // 50k left after the audio reserve: not even q
  subs.update(20);
  assert.equal(subs.shouldForward('p0', 'p2', 'video', Q, 30), { forward: false, reason: 'paused' });
  assert.equal(subs.video('p0', 'p2', 'video')?.target, -2);
});

test('unknown subscribers get nothing; a participant who leaves disappears everywhere', () => {
  const subs = room(4);
  assert.equal(subs.shouldForward('ghost', 'p1', 'audio', 0, 0), { forward: false, reason: 'unknown-subscriber' });
  const now = speak(subs, 4, ['p1'], 0, 500);
  subs.show('p0', [tile('p1')], now);
  subs.removeParticipant('p1');
  assert.equal(subs.shouldForward('p0', 'p1', 'audio', 0, now), { forward: false, reason: 'not-loudest' });
  assert.equal(subs.shouldForward('p0', 'p1', 'video', Q, now), { forward: false, reason: 'not-shown' });
  assert.equal(subs.shouldForward('p1', 'p0', 'audio', 0, now), { forward: false, reason: 'unknown-subscriber' });
  assert.is(subs.source('p1', 'video'), undefined);
});

test('shouldForward allocates nothing and keeps up with 1M packets in well under a second', () => {
  const subs = room(150);
  for (let i = 0; i < 150; i++) {
    const tiles = [];
    for (let j = 1; j <= 25; j++) tiles.push(tile(`p${(i + j) % 150}`));
    subs.show(`p${i}`, tiles, 0);
  }
  for (let i = 0; i < 150; i++) subs.onKeyframe(`p${i}`, 'video', Q, 10);
  const now = speak(subs, 150, ['p1', 'p2'], 0, 500);
  assert.is(subs.shouldForward('p0', 'p1', 'video', Q, now), subs.shouldForward('p0', 'p2', 'video', Q, now), 'shared decisions');
  const ids = Array.from({ length: 150 }, (_, i) => `p${i}`);
  const started = performance.now();
  let forwarded = 0;
  for (let n = 0; n < 1_000_000; n++) {
    const decision = subs.shouldForward(ids[n % 150]!, ids[(n * 7) % 150]!, n % 4 === 0 ? 'audio' : 'video', n % 3, now + n / 1000);
    if (decision.forward) forwarded++;
  }
  const ms = performance.now() - started;
  assert.ok(forwarded > 0);
  assert.ok(ms < 1000, `1M decisions took ${ms.toFixed(0)} ms`);
});

test('neededLayers(): each source at the largest layer its viewers need; none for tiles paused for capacity', () => {
  const capacity = { maxLayer: F, maxVideos: 1 };
  const subs = room(4, { selector: { capacity } });
  subs.show('p0', [tile('p1', 1280, 720), tile('p2', 320, 180)], 0);
  subs.update(0);
  const needed = (s: Subscriptions) => Object.fromEntries([...s.neededLayers(new Map())].map(([source, layer]) => [['p1', 'p2'].find((p) => s.source(p, 'video') === source), layer]));
  assert.equal(needed(subs), { p1: F }, "p0's second tile is beyond its one video: nobody needs p2");
  subs.show('p3', [tile('p2', 640, 360)], 100);
  subs.update(100);
  assert.equal(needed(subs), { p1: F, p2: H }, 'p3 shows p2 as its one video');
  capacity.maxVideos = Infinity;
  subs.show('p3', [], 200);
  subs.update(200);
  assert.equal(needed(subs), { p1: F, p2: Q }, 'no limit: p0 needs p2 again, small');
});

test.run();
