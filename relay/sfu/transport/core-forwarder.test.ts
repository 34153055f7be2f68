import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ABS_SEND_TIME_URI, absSendTime, readRtpSeq, readRtpSsrc } from '../forward/index.ts';
import { RtpHeader } from '../select/index.ts';
import { AUDIO_LEVEL_EXT, roomTraffic } from '../testing/synthetic.ts';
import { CoreForwarder, ladderOf, layerIndex } from './core-forwarder.ts';
import { AUDIO_LEVEL_URI } from './forwarder.ts';
import type { Publication, SlotInfo } from './forwarder.ts';
import type { VideoSlot } from './protocol.ts';

const N = 6;
const ids = Array.from({ length: N }, (_, i) => `p${i}`);
const RIDS = ['q', 'h', 'f'];

const audioPub = (i: number): Publication => ({
  id: `${ids[i]}/0`, sessionId: ids[i]!, source: 'microphone', kind: 'audio', mid: '0', rid: undefined, rids: [], ssrc: 0x1000 + i,
  extensions: new Map([[AUDIO_LEVEL_EXT, AUDIO_LEVEL_URI]]),
});
const videoPub = (i: number, layer: number): Publication => ({
  id: `${ids[i]}/1/${RIDS[layer]}`, sessionId: ids[i]!, source: 'camera', kind: 'video', mid: '1', rid: RIDS[layer], rids: RIDS, ssrc: 0x2000 + i * 4 + layer,
  extensions: new Map(),
});
/** Every subscriber: audio slots a0 a1, video slots v0 v1; slot SSRC = subscriber index × 16 + slot. */
const slotInfo = (s: number) => (mid: string): SlotInfo => ({
  subscriber: ids[s]!, mid, ssrc: s * 16 + ['a0', 'a1', 'v0', 'v1'].indexOf(mid), payloadType: mid.startsWith('a') ? 111 : 96, extensions: new Map([[AUDIO_LEVEL_URI, 3]]),
});
const seats = (a: string | null, b: string | null): VideoSlot[] => [
  { mid: 'v0', sessionId: a, source: a ? 'camera' : null },
  { mid: 'v1', sessionId: b, source: b ? 'camera' : null },
];

function room() {
  const f = new CoreForwarder();
  ids.forEach((id, s) => f.setSubscriber(id, { audio: ['a0', 'a1'], video: ['v0', 'v1'] }, slotInfo(s)));
  f.publications(ids.flatMap((_, i) => [audioPub(i), ...RIDS.map((_, l) => videoPub(i, l))]), []);
  return f;
}

test('layerIndex() orders q/h/f by name, other rids as offered, and drops a fourth layer', () => {
  assert.equal(['f', 'q', 'h'].map((r) => layerIndex(['f', 'q', 'h'], r)), [2, 0, 1]);
  assert.equal(['h', 'f'].map((r) => layerIndex(['h', 'f'], r)), [0, 1]);
  assert.equal(['lo', 'hi'].map((r) => layerIndex(['lo', 'hi'], r)), [0, 1]);
  assert.is(layerIndex(['a', 'b', 'c', 'd'], 'd'), -1);
  assert.is(layerIndex([], undefined), 0);
});

test('ladderOf() takes the named q/h/f layers, else the top layers, one per rid', () => {
  assert.equal(ladderOf(['q', 'h']).map((l) => l.rid), ['q', 'h'], 'a 360p camera: 320×180 and 640×360');
  assert.equal(ladderOf(['q']).map((l) => l.height), [180]);
  assert.equal(ladderOf(['lo', 'hi']).map((l) => l.rid), ['h', 'f']);
  assert.equal(ladderOf([]).map((l) => l.rid), ['f'], 'no simulcast: the top layer');
});

test('publisher layers: each camera is told the layers its viewers need, more at once, fewer after 3 s, none when nobody shows it', () => {
  const f = room();
  const told = (now: number) => Object.fromEntries(f.tick(now).layers.map((c) => [c.publisherId, c.rids.join('')]));
  assert.equal(told(0), {}, 'new cameras send every layer, as browsers start');
  f.seatVideo('p5', seats('p1', 'p2'), [{ sessionId: 'p1', source: 'camera', width: 1280, height: 720 }, { sessionId: 'p2', source: 'camera', width: 640, height: 360 }], 500);
  assert.equal(told(1000), {});
  assert.equal(told(3000), { ...Object.fromEntries(ids.filter((id) => id !== 'p1' && id !== 'p2').map((id) => [id, ''])), p2: 'qh' }, 'nobody shows the others: they pause; p2 is needed at 360p only');
  f.seatVideo('p5', seats('p1', 'p2'), [{ sessionId: 'p1', source: 'camera', width: 320, height: 180 }, { sessionId: 'p2', source: 'camera', width: 640, height: 360 }], 3500);
  assert.equal(told(4000), {}, 'p1 needs less, but not for long enough yet');
  assert.equal(told(6900), {});
  assert.equal(told(7000), { p1: 'q' });
  // p3 comes on screen: its paused camera resumes at the next tick, and its q layer counts as sent
  // before a packet of it has arrived (else the new viewer would be told the publisher sends nothing).
  const source = f.subscriptions.source('p3', 'video')!;
  source.setActive(0, false); // what a second without its packets makes it (no packets flow in this test)
  f.seatVideo('p4', seats('p3', null), [{ sessionId: 'p3', source: 'camera', width: 320, height: 180 }], 7100);
  assert.equal(told(7200), { p3: 'q' });
  assert.is(source.active[0], true);
});

test('deliveries carry abs-send-time at `now` where the slot negotiated it, and none elsewhere', () => {
  const f = new CoreForwarder();
  const withAbs = (s: number) => (mid: string): SlotInfo => {
    const info = slotInfo(s)(mid);
    return s === 5 ? { ...info, extensions: new Map([...info.extensions, [ABS_SEND_TIME_URI, 2]]) } : info;
  };
  ids.forEach((id, s) => f.setSubscriber(id, { audio: ['a0', 'a1'], video: ['v0', 'v1'] }, withAbs(s)));
  f.publications(ids.flatMap((_, i) => [audioPub(i), ...RIDS.map((_, l) => videoPub(i, l))]), []);
  f.seatVideo('p5', seats('p1', 'p2'), undefined, 0);
  f.seatVideo('p4', seats('p1', 'p2'), undefined, 0);
  const stamps = { p4: 0, p5: 0 };
  for (const p of roomTraffic({ publishers: N, video: true, talkers: 2, durationMs: 1000, seed: 7, start: 70_000 })) {
    const pub = p.kind === 'audio' ? audioPub(p.publisher) : videoPub(p.publisher, p.layer);
    for (const out of f.onPacket(pub, p.bytes, p.at)) {
      if (out.subscriber !== 'p4' && out.subscriber !== 'p5') continue;
      const at = RtpHeader.parse(out.bytes)!.findExtension(2);
      if (out.subscriber === 'p4') assert.is(at, -1);
      else assert.is((out.bytes[at]! << 16) | (out.bytes[at + 1]! << 8) | out.bytes[at + 2]!, absSendTime(p.at));
      stamps[out.subscriber]++;
    }
  }
  assert.ok(stamps.p4 > 50 && stamps.p5 > 50, JSON.stringify(stamps));
});

test('deliveries: the shown videos at their tile’s layer, the two talkers’ audio, fresh buffers, continuous per slot', () => {
  const f = room();
  // p5 shows p1 large and p2 small; the others never send a view (first free seats, smallest layer).
  const requests = f.seatVideo('p5', seats('p1', 'p2'), [
    { sessionId: 'p1', source: 'camera', width: 1280, height: 720 },
    { sessionId: 'p2', source: 'camera', width: 320, height: 180 },
  ], 0);
  assert.equal(requests.map((p) => p.id), ['p1/1/f', 'p2/1/q'], 'keyframes of the layers to start');
  f.seatVideo('p4', seats('p0', 'p1'), undefined, 0);
  const got = new Map<string, Array<{ from: string; seq: number; ssrc: number }>>();
  let previous: Uint8Array | undefined;
  for (const p of roomTraffic({ publishers: N, video: true, talkers: 2, durationMs: 4000, seed: 5 })) {
    if (p.at % 100 === 0) f.tick(p.at);
    const pub = p.kind === 'audio' ? audioPub(p.publisher) : videoPub(p.publisher, p.layer);
    for (const out of f.onPacket(pub, p.bytes, p.at)) {
      // Each delivery is its own bytes: writing one changes neither the input nor another delivery.
      const [input, other] = [p.bytes[3], previous?.[3]];
      out.bytes[3]! ^= 0xff;
      assert.ok(p.bytes[3] === input && previous?.[3] === other);
      out.bytes[3]! ^= 0xff;
      previous = out.bytes;
      const key = `${out.subscriber}/${out.slotMid}`;
      got.set(key, [...(got.get(key) ?? []), { from: pub.id, seq: readRtpSeq(out.bytes), ssrc: readRtpSsrc(out.bytes) }]);
    }
  }
  const from = (key: string) => [...new Set(got.get(key)?.map((d) => d.from))];
  assert.equal(from('p5/v0'), ['p1/1/f']);
  assert.equal(from('p5/v1'), ['p2/1/q']);
  assert.equal([from('p4/v0'), from('p4/v1')], [['p0/1/q'], ['p1/1/q']], 'no view: the smallest layer');
  assert.not.ok(got.has('p3/v0'), 'no seats, no video');
  assert.equal([...new Set(['a0', 'a1'].flatMap((m) => from(`p5/${m}`)))].sort(), ['p0/0', 'p1/0']);
  assert.equal(from('p0/a0'), ['p1/0'], 'a talker hears the other one, never itself');
  for (const [key, list] of got) {
    const [s, mid] = key.split('/') as [string, string];
    assert.ok(list.every((d) => d.ssrc === slotInfo(ids.indexOf(s))(mid).ssrc), `${key}: the slot's SSRC`);
    for (let i = 1; i < list.length; i++) assert.is(list[i]!.seq, (list[i - 1]!.seq + 1) & 0xffff, `${key} at ${i}`);
  }
  assert.equal(f.audioSlots('p5', 4000).map((a) => a.sessionId).sort(), ['p0', 'p1']);
});

test('audio occupants are told when they change, at most every 250 ms', () => {
  const f = room();
  const changed: Array<[number, string[]]> = [];
  for (const p of roomTraffic({ publishers: N, video: false, talkers: 1, durationMs: 1000, seed: 2 })) {
    if (p.at % 50 === 0) {
      const { audioChanged } = f.tick(p.at);
      if (audioChanged.length > 0) changed.push([p.at, audioChanged]);
      for (const s of audioChanged) f.audioSlots(s, p.at);
    }
    f.onPacket(audioPub(p.publisher), p.bytes, p.at);
  }
  assert.equal(changed.length, 1, 'one change: the talker took a slot');
  assert.equal(changed[0]![1], ids.slice(1));
  assert.equal(f.audioSlots('p3', 1000), [{ mid: 'a0', sessionId: 'p0' }, { mid: 'a1', sessionId: null }]);
});

test('a subscriber’s picture loss asks for the layer it receives, throttled; unknown slots ask nothing', () => {
  const f = room();
  f.seatVideo('p0', seats('p1', null), [{ sessionId: 'p1', source: 'camera', width: 640, height: 360 }], 0);
  assert.equal(f.pictureLost('p0', 'v0', 2000).map((p) => p.id), ['p1/1/h']);
  assert.equal(f.pictureLost('p0', 'v0', 2100), [], 'throttled');
  assert.equal(f.pictureLost('p0', 'v1', 3000), []);
  assert.equal(f.pictureLost('nobody', 'v0', 3000), []);
});

test('a leaving session neither receives nor is forwarded any more', () => {
  const f = room();
  f.seatVideo('p2', seats('p1', null), undefined, 0);
  f.removeSession('p1');
  for (const p of roomTraffic({ publishers: N, video: true, talkers: 2, durationMs: 1000, seed: 9 })) {
    const pub = p.kind === 'audio' ? audioPub(p.publisher) : videoPub(p.publisher, p.layer);
    for (const out of f.onPacket(pub, p.bytes, p.at)) {
      assert.is.not(out.subscriber, 'p1');
      assert.is.not(pub.sessionId, 'p1');
    }
  }
  assert.ok(f.drops['unknown-stream'] > 0);
});

test('receiver reports: heavy loss moves a large tile down the ladder, clean reports bring it back up', () => {
  const f = room();
  f.seatVideo('p5', seats('p1', null), [{ sessionId: 'p1', source: 'camera', width: 1280, height: 720 }], 0);
  const layerAt: Array<[number, string]> = [];
  for (const p of roomTraffic({ publishers: N, video: true, talkers: 0, durationMs: 20_000, seed: 3 })) {
    if (p.at % 100 === 0) f.tick(p.at);
    // 30 % loss reported between 4 and 6 s, none otherwise; a report per second
    if (p.at % 1000 === 0 && p.publisher === 0 && p.kind === 'audio') f.feedback('p5', { type: 'receiver-report', fractionLost: p.at >= 4000 && p.at < 6000 ? 0.3 : 0, packetsLost: 0, jitter: 0, highestSequence: 0 }, p.at);
    const pub = p.kind === 'audio' ? audioPub(p.publisher) : videoPub(p.publisher, p.layer);
    for (const out of f.onPacket(pub, p.bytes, p.at)) {
      if (out.subscriber !== 'p5' || out.slotMid !== 'v0') continue;
      const rid = pub.rid!;
      if (layerAt.at(-1)?.[1] !== rid) layerAt.push([p.at, rid]);
    }
  }
  const rids = layerAt.map(([, r]) => r);
  assert.is(rids[0], 'f', JSON.stringify(layerAt));
  const down = layerAt.findIndex(([at, r]) => at >= 4000 && r !== 'f');
  assert.ok(down > 0 && layerAt[down]![0] < 7000, `down within a keyframe interval of the loss: ${JSON.stringify(layerAt)}`);
  assert.is(rids.at(-1), 'f', `back to f once reports are clean: ${JSON.stringify(layerAt)}`);
});

test('the dominant speaker: told once when a talker takes the role, and again when it leaves', () => {
  const f = room();
  const told: Array<[number, string | null]> = [];
  for (const p of roomTraffic({ publishers: N, video: false, talkers: 1, durationMs: 3000, seed: 9 })) {
    if (p.at % 100 === 0) {
      const { speaker } = f.tick(p.at);
      if (speaker !== undefined) told.push([p.at, speaker]);
    }
    f.onPacket(audioPub(p.publisher), p.bytes, p.at);
  }
  assert.is(told.length, 1, JSON.stringify(told));
  const [at, who] = told[0]!;
  assert.ok(who !== null && ids.includes(who), `a participant (${who})`);
  assert.ok(at >= 300 && at <= 1000, `after the first-take hold (${at} ms)`);
  assert.is(f.dominant.current, who);
  f.removeSession(who!, 3000);
  assert.is(f.tick(3100).speaker, null, 'the dominant speaker left: nobody');
  assert.is(f.tick(3200).speaker, undefined, 'told once');
});

test('tick() names the subscribers whose paused videos changed, once, as the paused message names them', () => {
  const capacity = { maxLayer: Infinity, maxVideos: Infinity };
  const f = new CoreForwarder({ subscriptions: { selector: { capacity } } });
  ids.forEach((id, s) => f.setSubscriber(id, { audio: ['a0', 'a1'], video: ['v0', 'v1'] }, slotInfo(s)));
  f.publications(ids.flatMap((_, i) => [audioPub(i), ...RIDS.map((_, l) => videoPub(i, l))]), []);
  f.seatVideo('p5', seats('p1', 'p2'), [{ sessionId: 'p1', source: 'camera', width: 1280, height: 720 }, { sessionId: 'p2', source: 'camera', width: 320, height: 180 }], 0);
  assert.equal(f.tick(100).paused, []);
  capacity.maxVideos = 1;
  assert.equal(f.tick(200).paused, [{ sessionId: 'p5', videos: [{ sessionId: 'p2', source: 'camera', reason: 'capacity' }] }]);
  assert.equal(f.tick(300).paused, [], 'told once');
  f.removeSession('p5', 400);
  assert.equal(f.tick(500).paused, [], 'a subscriber who left is told nothing');
});

test.run();
