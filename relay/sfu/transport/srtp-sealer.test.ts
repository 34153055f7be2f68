import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80, RtpPacket, SrtpSession } from 'werift';
import { rtpPacket as packet, srtpSessions } from './srtp-fixtures.ts';
import { RtpSealer } from './srtp-sealer.ts';

for (const [name, profile] of [['AES_CM_128_HMAC_SHA1_80', ProtectionProfileAes128CmHmacSha1_80], ['AEAD_AES_128_GCM', ProtectionProfileAeadAes128Gcm]] as const) {
  test(`RtpSealer seals byte for byte as werift's SrtpSession does (${name}), across a sequence wrap and a jump`, () => {
    const [werift, ours, opener] = srtpSessions(profile, 3) as [SrtpSession, SrtpSession, SrtpSession]; // werift seals, RtpSealer seals, a third opens
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
  const [ours] = srtpSessions(ProtectionProfileAeadAes128Gcm, 1) as [SrtpSession];
  const sealer = new RtpSealer(ours.localContext);
  assert.is(sealer.seal(new Uint8Array(8)), undefined);
  assert.is(sealer.seal(Buffer.from([0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 9])), undefined, 'extension block past the end');
  const raw = packet(7, 30);
  const copy = Buffer.from(raw);
  sealer.seal(raw);
  assert.equal(raw, copy);
});

test.run();
