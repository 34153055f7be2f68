import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forwarder } from './forwarder.ts';
import type { Delivery, Publication } from './forwarder.ts';
import { Subscriptions } from './select/index.ts';
import { AUDIO_LEVEL_EXT, roomTraffic } from './testing/synthetic.ts';

const N = 12;
const ids = Array.from({ length: N }, (_, i) => `p${i}`);
const audioPub = (i: number): Publication => ({ publisherId: ids[i]!, kind: 'audio', codec: 'opus', audioLevelExtId: AUDIO_LEVEL_EXT });
const videoPub = (i: number): Publication => ({ publisherId: ids[i]!, kind: 'video', codec: 'vp8' });

/** Each subscriber shows four others: the next four ids, the first one large, the rest small. */
function room() {
  const subscriptions = new Subscriptions();
  const forwarder = new Forwarder(subscriptions);
  for (const id of ids) {
    forwarder.addSubscriber(id, ['a0', 'a1', 'a2']);
    subscriptions.publish(id, 'video');
  }
  const shown = new Map<string, string[]>();
  ids.forEach((id, i) => {
    const others = [1, 2, 3, 4].map((k) => ids[(i + k) % N]!);
    shown.set(id, others);
    others.forEach((pid, slot) => forwarder.assignVideo(id, `v${slot}`, pid, 'video'));
    subscriptions.show(id, others.map((pid, k) => ({ publisherId: pid, kind: 'video' as const, width: k === 0 ? 1280 : 320, height: k === 0 ? 720 : 180 })), 0);
  });
  return { subscriptions, forwarder, shown };
}

function run(durationMs: number) {
  const r = room();
  const got: Array<Delivery & { from: string; kind: string; layer: number }> = [];
  const out: Delivery[] = [];
  let lastUpdate = 0;
  for (const p of roomTraffic({ publishers: N, video: true, talkers: 3, durationMs, seed: 7 })) {
    if (p.at - lastUpdate >= 100) {
      r.subscriptions.update(p.at);
      lastUpdate = p.at;
    }
    const pub = p.kind === 'audio' ? audioPub(p.publisher) : videoPub(p.publisher);
    const n = r.forwarder.onPacket(pub, p.layer, p.bytes, p.at, out);
    for (let i = 0; i < n; i++) got.push({ ...out[i]!, from: ids[p.publisher]!, kind: p.kind, layer: p.layer });
  }
  return { ...r, got };
}

const result = run(8000);

test('a subscriber receives only the video it shows, at the layer its tile needs', () => {
  for (const [id, others] of result.shown) {
    const video = result.got.filter((d) => d.subscriberId === id && d.kind === 'video');
    assert.equal([...new Set(video.map((d) => d.from))].sort(), [...others].sort(), id);
    const large = video.filter((d) => d.from === others[0]);
    const small = video.filter((d) => d.from !== others[0]);
    assert.ok(large.length > 0 && large.every((d) => d.layer === 2), `${id}: large tile gets the full layer`);
    assert.ok(small.every((d) => d.layer === 0), `${id}: small tiles get the smallest layer`);
  }
});

test('audio goes to everyone from the three talkers only, never back to its sender', () => {
  const audio = result.got.filter((d) => d.kind === 'audio');
  assert.equal([...new Set(audio.map((d) => d.from))].sort(), ['p0', 'p1', 'p2']);
  assert.not.ok(audio.some((d) => d.from === d.subscriberId));
  for (const id of ids.slice(3)) {
    const mine = audio.filter((d) => d.subscriberId === id);
    assert.equal(new Set(mine.map((d) => d.slotId)).size, 3, `${id} uses its three audio slots`);
  }
});

test('every slot carries a continuous sequence (+1 mod 2^16) and timestamps that never go back', () => {
  const bySlot = new Map<string, Delivery[]>();
  for (const d of result.got) bySlot.set(`${d.subscriberId}/${d.slotId}`, [...(bySlot.get(`${d.subscriberId}/${d.slotId}`) ?? []), d]);
  assert.ok(bySlot.size > N * 3);
  for (const [slot, list] of bySlot) {
    for (let i = 1; i < list.length; i++) {
      assert.is(list[i]!.seq, (list[i - 1]!.seq + 1) & 0xffff, `${slot} at ${i}`);
      const dts = (list[i]!.ts - list[i - 1]!.ts) >>> 0;
      assert.ok(dts < 0x80000000, `${slot}: timestamp went back at ${i}`);
    }
  }
});

test('onPacket() counts a malformed packet and delivers nothing, without throwing', () => {
  const { forwarder } = room();
  assert.is(forwarder.onPacket(audioPub(0), 0, new Uint8Array([1, 2, 3]), 0, []), 0);
  assert.is(forwarder.onPacket(videoPub(0), 1, new Uint8Array(40).fill(0x80), 0, []), 0);
  assert.is(forwarder.counters.malformed, 1);
});

test('a subscriber that leaves stops receiving, and its slots are released', () => {
  const { forwarder, subscriptions } = room();
  forwarder.removeSubscriber('p5');
  const out: Delivery[] = [];
  let to5 = 0;
  let lastUpdate = -100;
  for (const p of roomTraffic({ publishers: N, video: true, talkers: 3, durationMs: 2000, seed: 3 })) {
    if (p.at - lastUpdate >= 100) (subscriptions.update(p.at), (lastUpdate = p.at));
    const n = forwarder.onPacket(p.kind === 'audio' ? audioPub(p.publisher) : videoPub(p.publisher), p.layer, p.bytes, p.at, out);
    for (let i = 0; i < n; i++) if (out[i]!.subscriberId === 'p5') to5++;
  }
  assert.is(to5, 0);
});

test('a video paused and resumed goes on in its slot at the next sequence number: no hole for the subscriber to count as loss', () => {
  const capacity = { maxLayer: Infinity, maxVideos: Infinity };
  const subscriptions = new Subscriptions({ selector: { capacity } });
  const forwarder = new Forwarder(subscriptions);
  for (const id of ids.slice(0, 3)) {
    forwarder.addSubscriber(id, ['a0']);
    subscriptions.publish(id, 'video');
  }
  forwarder.assignVideo('p0', 'v0', 'p1', 'video');
  forwarder.assignVideo('p0', 'v1', 'p2', 'video');
  subscriptions.show('p0', [{ publisherId: 'p1', kind: 'video', width: 1280, height: 720 }, { publisherId: 'p2', kind: 'video', width: 320, height: 180 }], 0);
  const out: Delivery[] = [];
  const v1: Array<{ seq: number; at: number }> = [];
  let lastUpdate = -100;
  // Keyframes every 3 s: p2 is paused from 4 to 5 s (the relay over capacity), and resumes at the keyframe of 6 s.
  for (const p of roomTraffic({ publishers: 3, video: true, talkers: 0, durationMs: 8000, seed: 4 })) {
    if (p.at - lastUpdate >= 100) {
      capacity.maxVideos = p.at >= 4000 && p.at < 5000 ? 1 : Infinity;
      subscriptions.update(p.at);
      lastUpdate = p.at;
    }
    if (p.kind !== 'video') continue;
    const n = forwarder.onPacket(videoPub(p.publisher), p.layer, p.bytes, p.at, out);
    for (let i = 0; i < n; i++) if (out[i]!.slotId === 'v1') v1.push({ seq: out[i]!.seq, at: p.at });
  }
  assert.ok(forwarder.counters.dropped['paused']! > 0, 'p2 was paused');
  assert.ok(v1.some((d) => d.at < 4000) && v1.some((d) => d.at >= 5000), 'before and after');
  assert.not.ok(v1.some((d) => d.at >= 4100 && d.at < 5000), 'nothing while paused');
  for (let i = 1; i < v1.length; i++) assert.is(v1[i]!.seq, (v1[i - 1]!.seq + 1) & 0xffff, `v1 at ${v1[i]!.at} ms`);
});

test('a speaker left out of the loudest and back goes on in its audio slot at the next sequence number', () => {
  const capacity: { maxLayer: number; maxVideos: number; maxAudio?: number } = { maxLayer: Infinity, maxVideos: Infinity };
  const subscriptions = new Subscriptions({ selector: { capacity } });
  const forwarder = new Forwarder(subscriptions);
  for (const id of ids.slice(0, 6)) forwarder.addSubscriber(id, ['a0', 'a1', 'a2']);
  const out: Delivery[] = [];
  const slots = new Map<string, Array<{ seq: number; at: number; from: string }>>();
  // Three talkers; from 3 to 5 s the relay is over capacity and forwards two speakers only.
  for (const p of roomTraffic({ publishers: 6, video: false, talkers: 3, durationMs: 8000, seed: 9 })) {
    capacity.maxAudio = p.at >= 3000 && p.at < 5000 ? 2 : Infinity;
    const n = forwarder.onPacket(audioPub(p.publisher), 0, p.bytes, p.at, out);
    for (let i = 0; i < n; i++) {
      const d = out[i]!;
      if (d.subscriberId !== 'p5') continue;
      slots.set(d.slotId, [...(slots.get(d.slotId) ?? []), { seq: d.seq, at: p.at, from: ids[p.publisher]! }]);
    }
  }
  assert.ok(forwarder.counters.dropped['not-loudest']! > 0, 'one talker was left out');
  const left = [...slots.values()].find((list) => !list.some((d) => d.at >= 3200 && d.at < 5000));
  assert.ok(left && left.some((d) => d.at >= 5000), 'its slot was silent, then carried it again');
  for (const [slot, list] of slots) {
    for (let i = 1; i < list.length; i++) assert.is(list[i]!.seq, (list[i - 1]!.seq + 1) & 0xffff, `${slot} at ${list[i]!.at} ms (${list[i]!.from})`);
  }
});

test.run();
