import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mulberry32 } from '../../../crdt/testing/network.ts';
import { KeyframeRequester } from './keyframe-requester.ts';

test('requests from many subscribers at once make one PLI', () => {
  const k = new KeyframeRequester();
  const answers = Array.from({ length: 150 }, (_, i) => k.request('cam-a/f', i / 10));
  assert.is(answers.filter((a) => a === 'send').length, 1);
  assert.is(answers[0], 'send');
  assert.is(k.request('cam-b/f', 15), 'send', 'streams are independent');
});

test('a request after the keyframe arrived waits for the interval, then due() sends it', () => {
  const k = new KeyframeRequester();
  assert.is(k.request('s', 0), 'send');
  k.onKeyframe('s', 200);
  assert.not.ok(k.isPending('s'));
  assert.is(k.request('s', 300), 'throttled', 'a new subscriber, 300 ms after the last PLI');
  assert.ok(k.isPending('s'));
  assert.equal(k.due(499), []);
  assert.equal(k.due(500), ['s']);
  assert.equal(k.due(600), [], 'sent once');
  assert.is(k.request('s', 700), 'throttled', 'covered by the request in flight');
});

test('a keyframe that arrives answers everything pending on its stream', () => {
  const k = new KeyframeRequester();
  k.request('s', 0);
  k.onKeyframe('s', 100);
  k.request('s', 200);
  k.onKeyframe('s', 300); // a periodic keyframe came before the throttled request was due
  assert.equal(k.due(600), []);
  assert.equal(k.due(5000), []);
});

test('without a keyframe, due() retries every second and gives up after 10 retries', () => {
  const k = new KeyframeRequester();
  k.request('s', 0);
  const sent: number[] = [];
  for (let now = 0; now <= 20_000; now += 50) if (k.due(now).length > 0) sent.push(now);
  assert.equal(sent, [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
  assert.not.ok(k.isPending('s'));
  assert.is(k.request('s', 20_000), 'send', 'a new request starts over');
});

test('a subscriber still waiting after the retry time gets a request through request() too', () => {
  const k = new KeyframeRequester({ minIntervalMs: 200, retryAfterMs: 600 });
  assert.is(k.request('s', 0), 'send');
  assert.is(k.request('s', 300), 'throttled');
  assert.is(k.request('s', 600), 'send');
  assert.is(k.request('s', 700), 'throttled');
});

test('requests at random times never send two PLIs for a stream within 500 ms', () => {
  const random = mulberry32(4585);
  const k = new KeyframeRequester();
  const lastSent = new Map<string, number>();
  const keyframeAt = new Map<string, number>();
  let sends = 0;
  const send = (id: string, now: number): void => {
    const last = lastSent.get(id);
    assert.ok(last === undefined || now - last >= 500, `${id}: PLIs at ${last} and ${now}`);
    lastSent.set(id, now);
    if (random() < 0.8) keyframeAt.set(id, now + 50 + random() * 200); // some PLIs or keyframes get lost
    sends++;
  };
  for (let now = 0; now < 60_000; now += 10) {
    for (const [id, at] of keyframeAt) {
      if (at <= now) {
        k.onKeyframe(id, now);
        keyframeAt.delete(id);
      }
    }
    if (random() < 0.3) {
      const id = `stream-${Math.floor(random() * 5)}`;
      if (k.request(id, now) === 'send') send(id, now);
    }
    for (const id of k.due(now)) send(id, now);
  }
  assert.ok(sends > 100 && sends <= 5 * 120, `${sends} PLIs for 5 streams in 60 s`);
});

test('remove() forgets a stream', () => {
  const k = new KeyframeRequester();
  k.request('s', 0);
  k.remove('s');
  assert.not.ok(k.isPending('s'));
  assert.equal(k.due(5000), []);
  assert.is(k.request('s', 100), 'send');
});

test.run();
