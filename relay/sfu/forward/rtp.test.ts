import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isPaddingOnly, isRtpDatagram } from './rtp.ts';

/** An RTP packet: 12-byte header (P bit as given), an optional one-byte-header extension block of `extWords` words, payload, padding. */
function packet(payload: number, padding: number, extWords = 0): Uint8Array {
  const ext = extWords > 0 ? 4 + 4 * extWords : 0;
  const bytes = new Uint8Array(12 + ext + payload + padding);
  bytes[0] = 0x80 | (padding > 0 ? 0x20 : 0) | (extWords > 0 ? 0x10 : 0);
  if (extWords > 0) {
    bytes.set([0xbe, 0xde, 0, extWords], 12);
  }
  if (padding > 0) bytes[bytes.length - 1] = padding;
  return bytes;
}

test('isPaddingOnly: a probe of padding alone, with or without extensions; not media, not media with padding', () => {
  assert.ok(isPaddingOnly(packet(0, 224)));
  assert.ok(isPaddingOnly(packet(0, 200, 2)), 'extensions before the padding (transport-wide sequence number)');
  assert.not.ok(isPaddingOnly(packet(1000, 0)), 'no P bit');
  assert.not.ok(isPaddingOnly(packet(1000, 4)), 'media with a few bytes of padding');
  assert.not.ok(isPaddingOnly(packet(0, 0)), 'an empty packet without the P bit');
  const truncated = packet(0, 8, 3).subarray(0, 14);
  assert.not.ok(isPaddingOnly(truncated), 'too short for its extension block');
});

test('isRtpDatagram tells RTP from RTCP, STUN and DTLS on one socket (RFC 5761, RFC 7983)', () => {
  const rtp = packet(20, 0);
  rtp[1] = 0x80 | 96; // marker set, payload type 96
  assert.ok(isRtpDatagram(rtp));
  const rtcp = new Uint8Array(28);
  rtcp.set([0x80, 200]); // a sender report
  assert.not.ok(isRtpDatagram(rtcp));
  rtcp[1] = 206; // a payload-specific feedback (PLI)
  assert.not.ok(isRtpDatagram(rtcp));
  const stun = new Uint8Array(20);
  stun.set([0x00, 0x01]); // a binding request
  assert.not.ok(isRtpDatagram(stun));
  const dtls = new Uint8Array(20);
  dtls[0] = 22; // a handshake record
  assert.not.ok(isRtpDatagram(dtls));
  assert.not.ok(isRtpDatagram(rtp.subarray(0, 8)), 'too short');
});

test.run();
