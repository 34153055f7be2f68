/**
 * Test fixtures for the SRTP sealer and unsealer: werift sessions sharing one set of keys, and RTP
 * packets shaped as browsers and the forwarder send them.
 */
import { randomBytes } from 'node:crypto';
import { ProtectionProfileAeadAes128Gcm, SrtpSession } from 'werift';

/** `count` werift SRTP sessions with the same master key and salt on both sides, for `profile`. */
export function srtpSessions(profile: number, count: number): SrtpSession[] {
  const key = randomBytes(16);
  const salt = randomBytes(profile === ProtectionProfileAeadAes128Gcm ? 12 : 14);
  const keys = { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt };
  return Array.from({ length: count }, () => new SrtpSession({ keys, profile }));
}

/** An RTP packet with a CSRC and a one-byte extension block (audio level); the payload varies with `seq`. */
export function rtpPacket(seq: number, payloadLength: number): Buffer {
  const p = Buffer.alloc(12 + 4 + 8 + payloadLength, 0x5a);
  p[0] = 0x91; // V=2, X, CC=1
  p[1] = 96;
  p.writeUInt16BE(seq & 0xffff, 2);
  p.writeUInt32BE((seq * 3000) >>> 0, 4);
  p.writeUInt32BE(0xcafe0001, 8);
  p.writeUInt32BE(0x01020304, 12);
  p.set([0xbe, 0xde, 0x00, 0x01, 0x10, 0x85, 0x00, 0x00], 16);
  for (let i = 24; i < p.length; i++) p[i] = (seq + i) & 0xff;
  return p;
}
