import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ABS_SEND_TIME_URI, absSendTime, stampAbsSendTime } from '../forward/index.ts';
import { AUDIO_LEVEL_URI, PassThroughForwarder, rewriteForSlot } from './forwarder.ts';
import type { Publication, SlotInfo } from './forwarder.ts';

const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

/** RTP with a one-byte extension block: mid "0" (id 1), audio level 0x85 (id 2), twcc (id 3). */
function packet(payload = [0xfc, 1, 2, 3]): Uint8Array {
  return Uint8Array.from([
    0x90, 111, 0x12, 0x34, 0, 0, 0x03, 0xc0, 0xde, 0xad, 0xbe, 0xef, // V=2 X=1, PT 111, seq, ts, ssrc
    0xbe, 0xde, 0x00, 0x03, // one-byte profile, 3 words
    0x10, 0x30, // id 1 len 1: "0"
    0x20, 0x85, // id 2 len 1: level
    0x31, 0x00, 0x07, // id 3 len 2: twcc
    0x00, 0x00, 0x00, 0x00, 0x00, // padding bytes
    ...payload,
  ]);
}

const pub = (over: Partial<Publication> = {}): Publication => ({
  id: 'A/0',
  sessionId: 'A',
  source: 'microphone',
  kind: 'audio',
  mid: '0',
  rid: undefined,
  rids: [],
  ssrc: 0xdeadbeef,
  extensions: new Map([[1, MID_URI], [2, AUDIO_LEVEL_URI], [3, TWCC_URI]]),
  ...over,
});

const slot = (subscriber: string, extensions: Array<[string, number]> = [[MID_URI, 1], [AUDIO_LEVEL_URI, 5]]): SlotInfo => ({
  subscriber,
  mid: '3',
  ssrc: 0x01020304,
  payloadType: 109,
  extensions: new Map(extensions),
});

test('rewriteForSlot() sets the slot SSRC and payload type and keeps only end-to-end extensions, renumbered', () => {
  const input = packet();
  const before = Uint8Array.from(input);
  const out = rewriteForSlot(input, pub().extensions, slot('B'), 0)!;
  assert.equal(input, before, 'the incoming packet is untouched');
  assert.equal([...out], [0x90, 109, 0x12, 0x34, 0, 0, 0x03, 0xc0, 1, 2, 3, 4, 0xbe, 0xde, 0x00, 0x01, 0x50, 0x85, 0, 0, 0xfc, 1, 2, 3]);
});

test('rewriteForSlot() drops the extension block when nothing survives, and keeps the marker bit', () => {
  const input = packet();
  input[1] = 0x80 | 111; // marker
  const out = rewriteForSlot(input, pub().extensions, slot('B', [[MID_URI, 1]]), 0)!;
  assert.equal([...out], [0x80, 0x80 | 109, 0x12, 0x34, 0, 0, 0x03, 0xc0, 1, 2, 3, 4, 0xfc, 1, 2, 3]);
});

test('rewriteForSlot() reads two-byte extension blocks and rejects truncated packets', () => {
  const twoByte = Uint8Array.from([0x90, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0x10, 0x00, 0x00, 0x01, 0x02, 0x01, 0x85, 0x00, 0xaa]);
  const out = rewriteForSlot(twoByte, pub().extensions, slot('B'), 0)!;
  assert.equal([...out.subarray(12)], [0xbe, 0xde, 0x00, 0x01, 0x50, 0x85, 0, 0, 0xaa]);
  assert.is(rewriteForSlot(packet().subarray(0, 14), pub().extensions, slot('B'), 0), undefined);
  assert.is(rewriteForSlot(Uint8Array.from([0x80, 0]), pub().extensions, slot('B'), 0), undefined);
  assert.is(rewriteForSlot(Uint8Array.from([0x40, ...Array(11).fill(0)]), pub().extensions, slot('B'), 0), undefined, 'version 1');
});

test('rewriteForSlot() puts the slot\'s abs-send-time first, with the given time, where a stamp finds it', () => {
  const withAbs = slot('B', [[AUDIO_LEVEL_URI, 5], [ABS_SEND_TIME_URI, 3]]);
  const out = rewriteForSlot(packet(), pub().extensions, withAbs, 0x123456)!;
  assert.equal([...out.subarray(12)], [0xbe, 0xde, 0x00, 0x02, 0x32, 0x12, 0x34, 0x56, 0x50, 0x85, 0, 0, 0xfc, 1, 2, 3]);
  assert.ok(stampAbsSendTime(out, 3, 0xabcdef));
  assert.equal([...out.subarray(16, 20)], [0x32, 0xab, 0xcd, 0xef]);
  const alone = rewriteForSlot(packet(), pub().extensions, slot('B', [[ABS_SEND_TIME_URI, 3]]), 7)!;
  assert.equal([...alone.subarray(12)], [0xbe, 0xde, 0x00, 0x01, 0x32, 0, 0, 7, 0xfc, 1, 2, 3], 'a block for it alone');
  const plain = Uint8Array.from([0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xaa]);
  assert.equal([...rewriteForSlot(plain, pub().extensions, withAbs, 7)!], [0x90, 109, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4, 0xbe, 0xde, 0, 1, 0x32, 0, 0, 7, 0xaa], 'a packet without extensions gets a block');
});

test('rewriteForSlot() writes abs-send-time in a two-byte block when its id needs one', () => {
  const out = rewriteForSlot(packet(), pub().extensions, slot('B', [[AUDIO_LEVEL_URI, 5], [ABS_SEND_TIME_URI, 20]]), absSendTime(1000))!;
  assert.equal([...out.subarray(12)], [0x10, 0x00, 0x00, 0x02, 20, 3, 0x04, 0x00, 0x00, 5, 1, 0x85, 0xfc, 1, 2, 3]);
});

test('PassThroughForwarder gives every subscriber its own buffer', () => {
  const f = new PassThroughForwarder(() => [slot('B'), slot('C')]);
  const out = f.onPacket(pub(), packet(), 0);
  assert.equal(out.map((o) => [o.subscriber, o.slotMid]), [['B', '3'], ['C', '3']]);
  out[0]!.bytes[20] = 0;
  assert.is(out[1]!.bytes[20], 0xfc);
});

test('PassThroughForwarder forwards only the first simulcast layer and counts drops', () => {
  const f = new PassThroughForwarder(() => [slot('B')]);
  const layers = ['q', 'h', 'f'];
  assert.is(f.onPacket(pub({ kind: 'video', rid: 'q', rids: layers }), packet(), 0).length, 1);
  assert.is(f.onPacket(pub({ kind: 'video', rid: 'f', rids: layers }), packet(), 0).length, 0);
  assert.is(f.onPacket(pub(), Uint8Array.from([1, 2, 3]), 0).length, 0);
  assert.equal(f.drops, { malformed: 1, layer: 1 });
});

test.run();
