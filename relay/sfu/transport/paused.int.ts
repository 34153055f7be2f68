/**
 * The `paused` message through the real relay (RelayRoom, RelayPeers, the core) on loopback: a viewer
 * showing three publishers (werift clients, synthetic VP8-like video of ~250 kbit/s each) is told which
 * of its videos the relay stops forwarding and why, once per change, and told again when frames flow:
 * - capacity: the relay's capacity limit (capacity.ts, shared by every selector) forced down to one
 *   video per subscriber, then lifted;
 * - publisher: a publisher stops sending, then starts again;
 * - bandwidth: the viewer's REMB says 50 kbit/s when it adds two tiles, then 10 Mbit/s.
 * Pauses are a decision of the core whatever the send path, so this runs on the default one only.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CapacityLimit } from '../select/capacity.ts';
import type { PausedMessage } from './protocol.ts';
import { TestRoom } from './test-room.ts';

const [V, A, B, C] = ['session-view', 'session-aaaa', 'session-bbbb', 'session-cccc'] as const;
const TAG = { [A]: 1, [B]: 2, [C]: 3 } as const;
const tile = (sessionId: string, width = 320, height = 180) => ({ sessionId, source: 'camera' as const, width, height });

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A paused message as `session/reason …`, sorted. */
const show = (m: PausedMessage | undefined) => (m ? m.videos.map((v) => `${v.sessionId}/${v.reason}`).sort().join(' ') : 'none');

/** Only on change: no message repeats the one before it. */
function assertOnlyChanges(messages: readonly PausedMessage[]): void {
  const list = messages.map(show);
  for (let i = 1; i < list.length; i++) assert.is.not(list[i], list[i - 1], `message ${i} repeats the one before: ${list.join(' | ')}`);
}

/** The viewer V (3 video slots) and publishers A, B, C (showing nothing), connected and publishing. */
async function meeting(capacity: CapacityLimit) {
  const t = new TestRoom('room-paused', { core: { subscriptions: { selector: { capacity } } } });
  const { room, clients } = t;
  for (const [i, id] of [V, A, B, C].entries()) {
    await t.join({ id, tag: i, slots: id === V ? { audio: 1, video: 3 } : { audio: 1, video: 1 }, media: { videoBytes: 1000 } });
    if (id !== V) await room.handle(id, { type: 'view', videos: [] });
  }
  await t.connected();
  for (const id of [A, B, C]) clients.get(id)!.startPublishing();
  const close = () => t.close();
  return { room, viewer: clients.get(V)!, publisher: (id: string) => clients.get(id)!, close };
}

test('capacity, then the publisher: the viewer is told which videos are paused and why, once per change, and when they flow again', async () => {
  const capacity = { maxLayer: Infinity, maxVideos: Infinity };
  const { room, viewer, publisher, close } = await meeting(capacity);
  const packets = (id: keyof typeof TAG) => viewer.from(TAG[id], 'video').packets;
  try {
    await room.handle(V, { type: 'view', videos: [tile(A, 1280, 720), tile(B), tile(C)] });
    await waitFor('video from A, B and C', () => [A, B, C].every((id) => viewer.from(TAG[id], 'video').keyframes >= 1));
    assert.is(viewer.paused.length, 0, 'nothing paused, nothing said');

    capacity.maxVideos = 1; // the relay over capacity: one video per subscriber, the largest tile's
    await waitFor('a paused message', () => viewer.paused.length >= 1, 3000);
    assert.is(show(viewer.paused[0]), `${B}/capacity ${C}/capacity`);
    await sleep(400); // packets in flight
    const [b0, c0, a0] = [packets(B), packets(C), packets(A)];
    await sleep(1000);
    assert.is(packets(B) - b0, 0, 'B is not forwarded');
    assert.is(packets(C) - c0, 0, 'C is not forwarded');
    assert.ok(packets(A) - a0 > 20, 'A still is');
    assert.is(viewer.paused.length, 1, 'told once, not at every tick');

    capacity.maxVideos = Infinity;
    const lifted = Date.now();
    await waitFor('the pause cleared', () => show(viewer.paused.at(-1)) === '', 3000);
    const cleared = viewer.paused.at(-1)!.at;
    // Cleared once frames flow: the relay waited for B's and C's keyframes, which came before the message.
    await waitFor('B and C again', () => packets(B) > b0 && packets(C) > c0, 500);
    assert.ok(cleared - lifted < 2000, `cleared ${cleared - lifted} ms after the limit was lifted`);
    const afterCapacity = viewer.paused.length;
    assert.ok(afterCapacity <= 3, `paused, (one of them flowing first,) all flowing: ${viewer.paused.map(show).join(' | ')}`);

    publisher(C).stopPublishing(); // C's camera stops reaching the relay
    await waitFor('C paused for its publisher', () => viewer.paused.length > afterCapacity, 4000);
    assert.is(show(viewer.paused.at(-1)), `${C}/publisher`);
    publisher(C).startPublishing();
    await waitFor('C cleared', () => show(viewer.paused.at(-1)) === '', 4000);
    assert.is(viewer.paused.length, afterCapacity + 2, viewer.paused.map(show).join(' | '));
    assertOnlyChanges(viewer.paused);
  } finally {
    await close();
  }
});

test('bandwidth: tiles added while the viewer’s REMB is low are paused for bandwidth, and resume when it recovers', async () => {
  const { room, viewer, close } = await meeting({ maxLayer: Infinity, maxVideos: Infinity });
  try {
    await room.handle(V, { type: 'view', videos: [tile(A)] });
    await waitFor('video from A', () => viewer.from(TAG[A], 'video').keyframes >= 1);
    // The relay measures each camera's bitrate (~250 kbit/s here) once a second, in place of the nominal one.
    await waitFor('measured bitrates', () => [A, B, C].every((id) => room.core!.subscriptions.source(id, 'video')!.bitrate[0]! < 500_000), 4000);
    // The estimate never pauses what is shown (core-forwarder.ts keeps it at 1.5× the floor of A and
    // audio), but it has no room for two more tiles.
    await viewer.sendRemb(50_000);
    await sleep(300);
    await room.handle(V, { type: 'view', videos: [tile(A), tile(B), tile(C)] });
    await waitFor('a paused message', () => viewer.paused.length >= 1, 3000);
    assert.is(show(viewer.paused[0]), `${B}/bandwidth ${C}/bandwidth`);
    await sleep(500);
    assert.is(viewer.from(TAG[B], 'video').packets + viewer.from(TAG[C], 'video').packets, 0, 'neither B nor C is forwarded');

    const recovered = Date.now();
    await viewer.sendRemb(10_000_000);
    // Upgrades wait until the estimate has allowed them for 2.5 s (layer-selector.ts).
    await waitFor('the pause cleared', () => show(viewer.paused.at(-1)) === '', 6000);
    const waited = viewer.paused.at(-1)!.at - recovered;
    assert.ok(waited >= 2000, `cleared after the upgrade hold (${waited} ms)`);
    await waitFor('B and C', () => viewer.from(TAG[B], 'video').keyframes >= 1 && viewer.from(TAG[C], 'video').keyframes >= 1, 500);
    assert.ok(viewer.paused.length <= 3, viewer.paused.map(show).join(' | '));
    assertOnlyChanges(viewer.paused);
  } finally {
    await close();
  }
});

test.run();
