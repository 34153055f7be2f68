import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80, RtpPacket, SrtpSession } from 'werift';
import { RtpSealer } from './srtp-sealer.ts';

function sessions(profile: number) {
  const key = randomBytes(16);
  const salt = randomBytes(profile === ProtectionProfileAeadAes128Gcm ? 12 : 14);
  const keys = { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt };
  // Two sessions with the same keys: one seals with werift, the other with RtpSealer; a third opens.
  return { werift: new SrtpSession({ keys, profile }), ours: new SrtpSession({ keys, profile }), opener: new SrtpSession({ keys, profile }) };
}

/** An RTP packet with a one-byte extension block (audio level) and a CSRC, as forwarded packets can be. */
function packet(seq: number, payloadLength: number): Buffer {
  const p = Buffer.alloc(12 + 4 + 8 + payloadLength, 0x5a);
  p[0] = 0x91; // V=2, X, CC=1
  p[1] = 96;
  p.writeUInt16BE(seq & 0xffff, 2);
  p.writeUInt32BE((seq * 3000) >>> 0, 4);
  p.writeUInt32BE(0xcafe0001, 8);
  p.writeUInt32BE(0x01020304, 12);
  p.set([0xbe, 0xde, 0x00, 0x01, 0x10, 0x85, 0x00, 0x00], 16);
  return p;
}

for (const [name, profile] of [['AES_CM_128_HMAC_SHA1_80', ProtectionProfileAes128CmHmacSha1_80], ['AEAD_AES_128_GCM', ProtectionProfileAeadAes128Gcm]] as const) {
  test(`RtpSealer seals byte for byte as werift's SrtpSession does (${name}), across a sequence wrap and a jump`, () => {
    const { werift, ours, opener } = sessions(profile);
    const sealer = new RtpSealer(ours.localContext);
    // Across the wrap, then a forward jump of 300 (lost packets), then a late (retransmitted) one.
    const seqs = [65530, 65531, 65535, 0, 1, 301, 302, 200, 303];
    for (const seq of seqs) {
      const raw = packet(seq, 40 + (seq % 7));
      const expected = werift.encrypt(RtpPacket.deSerialize(raw).payload, RtpPacket.deSerialize(raw).header);
      const sealed = sealer.seal(raw)!;
      assert.equal(sealed.toString('hex'), expected.toString('hex'), `seq ${seq}`);
      assert.equal(Buffer.from(opener.decrypt(sealed)).toString('hex'), raw.toString('hex'), `opens: seq ${seq}`);
    }
  });
}

test('RtpSealer refuses what is not RTP, and does not touch its input', () => {
  const { ours } = sessions(ProtectionProfileAeadAes128Gcm);
  const sealer = new RtpSealer(ours.localContext);
  assert.is(sealer.seal(new Uint8Array(8)), undefined);
  assert.is(sealer.seal(Buffer.from([0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 9])), undefined, 'extension block past the end');
  const raw = packet(7, 30);
  const copy = Buffer.from(raw);
  sealer.seal(raw);
  assert.equal(raw, copy);
});

test.run();
