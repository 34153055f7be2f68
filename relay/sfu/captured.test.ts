/**
 * The forwarding core on real Chromium packets: the capture in testing/chromium-capture.json (1 s of a
 * Chromium publishing its fake microphone and a 1280×720 camera in the client's q/h/f simulcast layers
 * to the relay, with keyframes requested from every layer at 0.3 and 0.7 s; testing/capture-chromium.ts
 * makes it again). The synthetic tests build packets the way we think browsers do; these check the
 * parts that read packets against what a browser really sent: Chrome's header extension layout, VP8
 * payload descriptors, its bandwidth probes (padding-only packets on the top layer), its audio levels.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forwarder } from './forwarder.ts';
import type { Delivery, Publication } from './forwarder.ts';
import { RtpHeader, Subscriptions, isVp8Keyframe, readAudioLevel } from './select/index.ts';
import { extensionId, loadCapture } from './testing/captured.ts';
import type { CapturedPacket } from './testing/captured.ts';

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const capture = loadCapture();
const header = new RtpHeader();
const parse = (bytes: Uint8Array): RtpHeader => {
  const h = header.wrap(bytes);
  if (!h) throw new Error('not RTP');
  return h;
};
const layerOf = (p: CapturedPacket) => (p.pub.rid === null ? 0 : p.pub.rids.indexOf(p.pub.rid));

/** Width × height of a VP8 keyframe (RFC 6386 §9.1), after the RTP payload descriptor (RFC 7741 §4.2). */
function vp8KeyframeSize(bytes: Uint8Array): string {
  const h = parse(bytes);
  let i = h.payloadOffset;
  const x = bytes[i++]!;
  if (x & 0x80) {
    const ext = bytes[i++]!;
    if (ext & 0x80) i += bytes[i]! & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    if (ext & 0x40) i++; // TL0PICIDX
    if (ext & 0x30) i++; // TID / KEYIDX
  }
  i += 3; // frame tag
  assert.equal([...bytes.subarray(i, i + 3)], [0x9d, 0x01, 0x2a], 'keyframe start code');
  const width = (bytes[i + 3]! | (bytes[i + 4]! << 8)) & 0x3fff;
  const height = (bytes[i + 5]! | (bytes[i + 6]! << 8)) & 0x3fff;
  return `${width}x${height}`;
}

test('every captured packet parses, and carries only the extensions the relay negotiated for it', () => {
  assert.ok(capture.packets.length > 400, `${capture.packets.length} packets`);
  for (const p of capture.packets) {
    const h = parse(p.bytes);
    assert.is(h.ssrc, p.pub.ssrc, p.pub.id);
    for (let id = 1; id <= 14; id++) if (p.pub.extensions[id] === undefined) assert.is(h.findExtension(id), -1, `${p.pub.id}: extension ${id} was not negotiated`);
  }
  const probes = capture.packets.filter((p) => parse(p.bytes).payloadLength === 0);
  assert.ok(probes.length > 100, 'Chromium probes its bandwidth with padding-only packets');
  assert.ok(probes.every((p) => p.pub.rid === 'f' && parse(p.bytes).padding), 'on its top layer, as padding');
});

test('keyframes: found at the first packet of a frame on each layer, twice, with the VP8 size of the layer', () => {
  const sizes = new Map<string, string[]>();
  for (const p of capture.packets) {
    if (p.pub.kind !== 'video') continue;
    const h = parse(p.bytes);
    if (!isVp8Keyframe(p.bytes, h.payloadOffset, h.payloadLength)) continue;
    assert.ok(p.bytes[h.payloadOffset]! & 0x10, 'S bit: the start of a partition');
    sizes.set(p.pub.rid!, [...(sizes.get(p.pub.rid!) ?? []), vp8KeyframeSize(p.bytes)]);
  }
  assert.equal(Object.fromEntries(sizes), { q: ['320x180', '320x180'], h: ['640x360', '640x360'], f: ['1280x720', '1280x720'] });
});

test("audio levels read off Chrome's one-byte extension: the fake microphone's beeps, and silence (127) between", () => {
  const audio = capture.packets.filter((p) => p.pub.kind === 'audio');
  const id = extensionId(audio[0]!.pub, AUDIO_LEVEL_URI)!;
  const levels = audio.map((p) => readAudioLevel(parse(p.bytes), id) & 0x7f);
  assert.is(audio.length, 50, '50 packets a second (20 ms frames)');
  assert.ok(levels.every((l) => l >= 0 && l <= 127));
  assert.ok(levels.filter((l) => l < 20).length >= 2, `beeps: ${levels}`);
  assert.ok(levels.filter((l) => l === 127).length >= 10, `silence: ${levels}`);
});

/**
 * The capture with each layer's sequence numbers and timestamps shifted so that both wrap at `wrapAt`
 * ms of that layer (the first packet from then on is number 0, at timestamp 0): the relay must not care
 * where a browser's random starting values put the wrap.
 */
function wrapped(wrapAt: (p: CapturedPacket) => number): CapturedPacket[] {
  const zero = new Map<string, { seq: number; ts: number }>();
  for (const p of capture.packets) {
    if (zero.has(p.pub.id) || p.at < wrapAt(p)) continue;
    const h = parse(p.bytes);
    zero.set(p.pub.id, { seq: h.sequenceNumber, ts: h.timestamp });
  }
  return capture.packets.map((p) => {
    const bytes = Uint8Array.from(p.bytes);
    const view = new DataView(bytes.buffer);
    const z = zero.get(p.pub.id)!;
    view.setUint16(2, (view.getUint16(2) - z.seq) & 0xffff);
    view.setUint32(4, (view.getUint32(4) - z.ts) >>> 0);
    return { ...p, bytes };
  });
}

test('a viewer on q switches to f at its keyframe: output +1 per packet across the switch and both wraps, timestamps never back, no probe or other layer', () => {
  const subscriptions = new Subscriptions();
  const forwarder = new Forwarder(subscriptions);
  forwarder.addSubscriber('viewer', ['a0', 'a1', 'a2']);
  forwarder.addSubscriber('ada', ['a0', 'a1', 'a2']);
  subscriptions.publish('ada', 'video');
  forwarder.assignVideo('viewer', 'v0', 'ada', 'video');
  subscriptions.show('viewer', [{ publisherId: 'ada', kind: 'video', width: 320, height: 180 }], 0);
  const video: Publication = { publisherId: 'ada', kind: 'video', codec: 'vp8' };
  const audio: Publication = { publisherId: 'ada', kind: 'audio', codec: 'opus', audioLevelExtId: extensionId(capture.packets.find((p) => p.pub.kind === 'audio')!.pub, AUDIO_LEVEL_URI)! };
  const out: Delivery[] = [];
  const got: Array<{ at: number; rid: string | null; slotId: string; subscriberId: string; seq: number; ts: number; keyframe: boolean; payload: number }> = [];
  // q wraps between its two keyframes, f after its second: both while the viewer receives them.
  const packets = wrapped((p) => (p.pub.rid === 'f' ? 850 : 500));
  let updated = 0;
  for (const p of packets) {
    if (p.at - updated >= 100) subscriptions.update((updated = p.at));
    if (p.at >= 500 && p.at - 500 < 10) subscriptions.show('viewer', [{ publisherId: 'ada', kind: 'video', width: 1280, height: 720 }], p.at);
    const n = forwarder.onPacket(p.pub.kind === 'audio' ? audio : video, layerOf(p), p.bytes, p.at, out);
    const h = parse(p.bytes);
    const keyframe = p.pub.kind === 'video' && isVp8Keyframe(p.bytes, h.payloadOffset, h.payloadLength);
    for (const d of out.slice(0, n)) got.push({ at: p.at, rid: p.pub.rid, slotId: d.slotId, subscriberId: d.subscriberId, seq: d.seq, ts: d.ts, keyframe, payload: h.payloadLength });
  }
  const tile = got.filter((d) => d.subscriberId === 'viewer' && d.slotId === 'v0');
  const switchAt = tile.findIndex((d) => d.rid === 'f');
  assert.ok(switchAt > 0, 'q first, then f');
  assert.ok(tile.slice(0, switchAt).every((d) => d.rid === 'q'));
  assert.ok(tile.slice(switchAt).every((d) => d.rid === 'f'), 'only f after the switch');
  assert.ok(tile[0]!.keyframe && tile[switchAt]!.keyframe, 'each layer starts at a keyframe');
  assert.ok(tile[switchAt]!.at > 500, 'the switch waits for the keyframe requested after the tile grew');
  assert.ok(tile.every((d) => d.payload > 0), 'no padding-only probe is forwarded');
  // Every media packet of the layer shown, from its keyframe on (none lost on loopback), and the wraps in there.
  const media = (rid: string, from: number, to: number) => packets.filter((p) => p.pub.rid === rid && p.at >= from && p.at < to && parse(p.bytes).payloadLength > 0);
  const q = media('q', tile[0]!.at, tile[switchAt]!.at);
  const f = media('f', tile[switchAt]!.at, Infinity);
  assert.is(switchAt, q.length, 'every q packet until the switch');
  assert.is(tile.length - switchAt, f.length, 'every f packet after it');
  for (const list of [q, f]) {
    const numbers = list.map((p) => parse(p.bytes).sequenceNumber);
    assert.ok(numbers.some((n, i) => i > 0 && n < numbers[i - 1]!), `a sequence wrap among them: ${numbers}`);
  }
  for (let i = 1; i < tile.length; i++) {
    assert.is(tile[i]!.seq, (tile[i - 1]!.seq + 1) & 0xffff, `output sequence at ${i}`);
    assert.ok(((tile[i]!.ts - tile[i - 1]!.ts) >>> 0) < 2 ** 31, `timestamp went back at ${i}`);
  }
  assert.ok(tile.some((d) => d.ts < tile[0]!.ts), 'the output timestamps wrapped too');
  const heard = got.filter((d) => d.slotId.startsWith('a'));
  assert.ok(heard.length > 0 && heard.every((d) => d.subscriberId === 'viewer'), 'audio to the viewer, never back to Ada');
});

test.run();
