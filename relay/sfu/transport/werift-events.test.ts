/**
 * werift's events as patched (patches/werift+0.24.4.patch): their methods live on the prototype, not as
 * ten arrow functions per event (about half a transceiver's heap: 19.2 → 10.0 KB measured). Callers must
 * call them on the event, as rtp-intake.ts does when it takes over a connection's `onData`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RTCPeerConnection } from 'werift';

test('an event\'s methods are shared, not per instance (the patch is applied)', async () => {
  const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
  try {
    const [a, b] = [pc.onTrack, pc.onDataChannel];
    for (const name of ['execute', 'subscribe', 'once', 'complete', 'asPromise'] as const) {
      assert.not.ok(Object.prototype.hasOwnProperty.call(a, name), `${name} is not an own property`);
      assert.ok(a[name] === b[name], `${name} is one function for every event`);
    }
  } finally {
    await pc.close();
  }
});

test('subscribe, execute, once, asPromise and complete still behave', async () => {
  const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
  try {
    const event = pc.onTrack as unknown as {
      subscribe(f: (x: number) => void): { unSubscribe(): void };
      once(f: (x: number) => void): void;
      execute(x: number): void;
      asPromise(): Promise<[number]>;
      complete(): void;
    };
    const seen: number[] = [];
    const { unSubscribe } = event.subscribe((x) => seen.push(x));
    event.once((x) => seen.push(x * 10));
    const next = event.asPromise();
    event.execute(1);
    event.execute(2);
    unSubscribe();
    event.execute(3);
    assert.equal(seen, [1, 10, 2]);
    assert.equal(await next, [1]);
    event.complete();
    event.execute(4);
    assert.equal(seen, [1, 10, 2]);
  } finally {
    await pc.close();
  }
});

test.run();
