/**
 * The second werift 0.24.4 trap, pinned down: `MediaStreamTrack.writeRtp` hands what it is given to
 * the RTCRtpSender, which rewrites it in place and keeps it by reference in its NACK history
 * (`rtpCache`, 128 packets, indexed by SEQ mod 128).
 *
 * - An RtpPacket is mutated: header.ssrc, payloadType, sequenceNumber, timestamp and extensions become
 *   the sender's. Written to two tracks, the first sender's history holds a packet that now claims the
 *   second sender's SSRC, and a NACK would be answered with it.
 * - A Buffer is parsed, not written to, but the cached payload is a view into it: reusing the buffer
 *   (a pool, the next packet) rewrites packets that may still be retransmitted.
 *
 * So the relay gives each subscriber its own RtpPacket and never recycles a buffer it passed in.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RtpHeader, RtpPacket } from 'werift';
import type { RTCRtpSender } from 'werift';
import { loopbackPair } from './loopback-pair.ts';
import type { LoopbackPair } from './loopback-pair.ts';

const HISTORY = 128;
let pair: LoopbackPair;

test.before(async () => {
  pair = await loopbackPair(2);
});

test.after(async () => {
  await pair?.close();
});

/** The sender's NACK history (private in werift's types). */
const history = (sender: RTCRtpSender) => (sender as unknown as { rtpCache: (RtpPacket | undefined)[] }).rtpCache;

test('writeRtp(packet) rewrites the header in place and keeps that very object in the NACK history', () => {
  const [first, second] = pair.senders as [RTCRtpSender, RTCRtpSender];
  const packet = new RtpPacket(new RtpHeader({ payloadType: 100, sequenceNumber: 1000, timestamp: 1, ssrc: 42 }), Buffer.from('frame'));

  pair.tracks[0]!.writeRtp(packet);
  assert.is(packet.header.ssrc, first.ssrc, 'the SSRC became the first sender’s');
  assert.is(packet.header.payloadType, first.codec!.payloadType, 'the payload type became the negotiated one');
  assert.ok(history(first)[1000 % HISTORY] === packet, 'the first sender keeps the caller’s object');

  pair.tracks[1]!.writeRtp(packet);
  assert.is(packet.header.ssrc, second.ssrc);
  assert.ok(history(first)[1000 % HISTORY] === packet, 'still the same object…');
  assert.is(history(first)[1000 % HISTORY]!.header.ssrc, second.ssrc, '…so the first sender’s history claims the second sender’s SSRC');
});

test('writeRtp(buffer) leaves the buffer alone but keeps a view of its payload in the NACK history', () => {
  const [first] = pair.senders as [RTCRtpSender];
  const buffer = new RtpPacket(new RtpHeader({ payloadType: 100, sequenceNumber: 2000, timestamp: 2 }), Buffer.from('frame')).serialize();
  const copy = Buffer.from(buffer);

  pair.tracks[0]!.writeRtp(buffer);
  assert.equal(buffer, copy, 'the bytes written are not changed');
  const cached = history(first)[2000 % HISTORY]!;
  assert.is(cached.payload.buffer, buffer.buffer, 'the cached payload shares the caller’s memory');

  buffer.fill(0, 12);
  assert.equal(cached.payload, Buffer.alloc(5), 'reusing the buffer rewrites the packet a NACK would resend');
});

test.run();
