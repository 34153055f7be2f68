import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RtpHeader, RtpPacket } from 'werift';
import { readRtpSeq, readRtpSsrc, readRtpTimestamp, writeRtpSeqTs } from '../forward/index.ts';
import { AUDIO_LEVEL_URI, rewriteForSlot } from './forwarder.ts';
import type { Publication, SlotInfo } from './forwarder.ts';
import { rawRtpBytes } from './raw-rtp.ts';
import { Retransmitter } from './retransmit.ts';

const pub: Publication = { id: 'p/1', sessionId: 'p', source: 'camera', kind: 'video', mid: '1', rid: undefined, rids: [], ssrc: 0x1111, extensions: new Map() };
const slot: SlotInfo = { subscriber: 's', mid: '4', ssrc: 0x2222, payloadType: 96, extensions: new Map([[AUDIO_LEVEL_URI, 1]]) };

const source = (seq: number) => new RtpPacket(new RtpHeader({ payloadType: 100, sequenceNumber: seq, timestamp: seq * 10, ssrc: 0x1111 }), Buffer.from([seq & 0xff, 1, 2, 3])).serialize();

/** Forwards source seqs 65530… (across a wrap) as output seq 100… with ts + 5000, recording each. */
function forwarded(r: Retransmitter, count: number, now = 0) {
  for (let i = 0; i < count; i++) {
    const packet = source((65530 + i) & 0xffff);
    r.ingress(pub, packet, now);
    const out = rewriteForSlot(packet, pub.extensions, slot, 0)!;
    writeRtpSeqTs(out, 100 + i, (readRtpTimestamp(packet) + 5000) >>> 0);
    r.sent('s', '4', pub, packet, out);
  }
}

test('Retransmitter resends a NACKed output number as the slot got it: its SSRC, PT, output seq and ts, the source payload', () => {
  const r = new Retransmitter();
  forwarded(r, 20);
  const [resend, ...rest] = r.respond(slot, [103], 0);
  assert.is(rest.length, 0);
  assert.equal([readRtpSsrc(resend!), resend![1]! & 0x7f, readRtpSeq(resend!), readRtpTimestamp(resend!)], [0x2222, 96, 103, ((65533 * 10) + 5000) >>> 0]);
  assert.equal([...resend!.subarray(12)], [65533 & 0xff, 1, 2, 3]);
  assert.equal(r.respond(slot, [104, 105], 0).map(readRtpSeq), [104, 105], 'across the source wrap');
});

test('Retransmitter resends once per RTT, forgets unknown numbers, slots and sessions', () => {
  const r = new Retransmitter({ rttMs: 100 });
  forwarded(r, 10);
  assert.is(r.respond(slot, [101], 0).length, 1);
  assert.is(r.respond(slot, [101], 50).length, 0, 'within the RTT');
  assert.is(r.respond(slot, [101], 150).length, 1);
  assert.is(r.respond(slot, [5000], 150).length, 0, 'never sent');
  r.keepSlots('s', ['0']);
  assert.is(r.respond(slot, [102], 300).length, 0, 'slot 4 renegotiated away');
  forwarded(r, 10);
  r.removeSession('p');
  assert.is(r.respond(slot, [102], 300).length, 0, 'the publisher left: its packets are gone');
});

test('Retransmitter keeps source packets about cacheMaxAgeMs: after a sweep, older ones are not resent', () => {
  const r = new Retransmitter({ cacheMaxAgeMs: 1000 });
  forwarded(r, 10, 0);
  r.sweep(900);
  assert.is(r.respond(slot, [101], 900).length, 1, '0.9 s old: kept');
  r.sweep(1100);
  assert.is(r.respond(slot, [102], 1100).length, 0, '1.1 s old: swept');
});

test('rawRtpBytes() is the packet werift parsed, padding and extensions included, without a copy', () => {
  const header = new RtpHeader({ payloadType: 96, sequenceNumber: 7, timestamp: 9, ssrc: 5, marker: true, extension: true, extensions: [{ id: 1, payload: Buffer.from([0x85]) }], padding: true, paddingSize: 4 });
  const wire = new RtpPacket(header, Buffer.from([1, 2, 3])).serialize();
  const parsed = RtpPacket.deSerialize(wire);
  const raw = rawRtpBytes(parsed)!;
  assert.equal(Buffer.from(raw), wire);
  assert.is(raw.buffer, wire.buffer);
  // A packet werift built anew (its payload not behind its header) is not mistaken for one.
  assert.is(rawRtpBytes(new RtpPacket(parsed.header, Buffer.from(parsed.payload))), undefined);
});

test.run();
