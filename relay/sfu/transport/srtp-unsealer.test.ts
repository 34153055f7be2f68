import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80, RtpPacket, SrtpAuthenticationError, SrtpSession } from 'werift';
import { rtpPacket as packet, srtpSessions } from './srtp-fixtures.ts';
import { RtpUnsealer } from './srtp-unsealer.ts';

const seal = (s: SrtpSession, raw: Buffer) => s.encrypt(RtpPacket.deSerialize(raw).payload, RtpPacket.deSerialize(raw).header);
const state = (s: SrtpSession) => JSON.stringify((s.remoteContext as unknown as { srtpSSRCStates: unknown }).srtpSSRCStates);

for (const [name, profile] of [['AES_CM_128_HMAC_SHA1_80', ProtectionProfileAes128CmHmacSha1_80], ['AEAD_AES_128_GCM', ProtectionProfileAeadAes128Gcm]] as const) {
  test(`RtpUnsealer opens what werift seals, byte for byte as werift's own decrypt (${name}): across a wrap, 300 lost across it, a late packet`, () => {
    const [sender, werift, ours] = srtpSessions(profile, 3) as [SrtpSession, SrtpSession, SrtpSession]; // one seals; werift and RtpUnsealer open
    const unsealer = new RtpUnsealer(ours.remoteContext);
    // 0xffff → 0 wraps, then a jump of 300 (lost across the wrap), then a late packet from before it.
    const seqs = [65400, 65401, 65535, 0, 1, 301, 302, 200, 303];
    for (let i = 0; i < seqs.length; i++) {
      const seq = seqs[i]! + (i >= 3 ? 65536 : 0); // the sender's own index keeps counting through the wrap
      const raw = packet(seq, 100 + (seq % 7));
      const sealed = seal(sender, raw);
      const expected = werift.decrypt(sealed);
      const opened = unsealer.open(sealed);
      assert.equal(opened.toString('hex'), Buffer.from(expected).toString('hex'), `seq ${seqs[i]}`);
      assert.equal(opened.toString('hex'), raw.toString('hex'), `plain: seq ${seqs[i]}`);
    }
    assert.is(state(ours), state(werift), 'the same rollover state as werift keeps');
  });

  test(`RtpUnsealer refuses a damaged or forged packet with SrtpAuthenticationError and moves no state (${name})`, () => {
    const [sender, ours] = srtpSessions(profile, 2) as [SrtpSession, SrtpSession];
    const unsealer = new RtpUnsealer(ours.remoteContext);
    unsealer.open(seal(sender, packet(10, 50)));
    const before = state(ours);
    const good = seal(sender, packet(40000, 50)); // far ahead: would move the state, if accepted
    for (const at of [2, 20, good.length - 1]) {
      const bad = Buffer.from(good);
      bad[at]! ^= 0x01;
      assert.throws(() => unsealer.open(bad), (e: unknown) => e instanceof SrtpAuthenticationError, `byte ${at} flipped`);
      assert.is(state(ours), before, `no state moved (byte ${at})`);
    }
    assert.throws(() => unsealer.open(Buffer.alloc(8)), (e: unknown) => e instanceof SrtpAuthenticationError, 'too short');
    assert.throws(() => unsealer.open(Buffer.from([0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 9, ...new Array(20).fill(0)])), (e: unknown) => e instanceof SrtpAuthenticationError, 'extension block past the end');
    assert.equal(unsealer.open(good), packet(40000, 50), 'the intact one opens');
  });
}

test.run();
