/**
 * werift's SRTP rollover counter, end to end: two RTCPeerConnections on loopback, RTP written with
 * sequence numbers we choose from 65000 on, 300 of them missing across the 65535 → 0 wrap. Each case
 * has its own track, hence its own SSRC and ROC.
 *
 * - Lost in the network: the sender seals every packet, the tap drops 300, and the receiver must go on
 *   decrypting. Unpatched werift failed every packet after the gap.
 * - Skipped by the sender: what goes on the wire must be what an RFC 3711 receiver (reference.ts)
 *   accepts. Unpatched werift sealed the packets after the gap with the old ROC; a werift receiver
 *   repeats the mistake and hides it, a browser does not.
 *
 * Under both SRTP profiles: werift between itself settles on AEAD_AES_128_GCM, Chromium offers only
 * AES_CM_128_HMAC_SHA1_80 (measured: relay/sfu/testing/chromium-capture.json), so that is what the
 * relay runs with browsers.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80, RtpHeader, RtpPacket } from 'werift';
import type { MediaStreamTrack } from 'werift';
import { waitUntil } from '../../test/wait.ts';
import { loopbackPair } from './loopback-pair.ts';
import type { LoopbackPair } from './loopback-pair.ts';
import { ReferenceReceiver, sessionKeys } from './reference.ts';
import type { ProfileName } from './reference.ts';

const FIRST = 65_000;
const GAP_FIRST = 65_400; // the gap: SEQ 65400 … 65535 and 0 … 163
const GAP = 300;
const AFTER = 300;
const seqOf = (index: number) => index % 0x10000;
const inGap = (seq: number) => seq >= GAP_FIRST || seq < seqOf(GAP_FIRST + GAP);
const payloadOf = (index: number) => Buffer.from(`index ${index}`.padEnd(100, '.'));
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const beforeGap = range(FIRST, GAP_FIRST - FIRST);
const afterGap = range(GAP_FIRST + GAP, AFTER);


/** Writes the packets at `indices`, a few at a time so that loopback UDP buffers never overflow. */
async function write(track: MediaStreamTrack, indices: number[]): Promise<void> {
  for (const [n, index] of indices.entries()) {
    track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seqOf(index), timestamp: index * 3000 }), payloadOf(index)));
    if (n % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

for (const name of ['AEAD_AES_128_GCM', 'AES128_CM_HMAC_SHA1_80'] as const satisfies readonly ProfileName[]) {
  const test = suite(name);
  let pair: LoopbackPair;

  test.before(async () => {
    pair = await loopbackPair(2, name);
  });

  test.after(async () => {
    await pair?.close();
  });

  test(`the pair negotiated ${name}`, () => {
    assert.is(pair.sendingKeys().profile, name === 'AEAD_AES_128_GCM' ? ProtectionProfileAeadAes128Gcm : ProtectionProfileAes128CmHmacSha1_80);
  });

  test('the receiver keeps decrypting after 300 packets are lost in the network across the wrap', async () => {
    const sender = pair.senders[0]!;
    const received = () => pair.receivedFrom(sender);
    const arrivedAfterGap = () => received().filter((rtp) => rtp.header.sequenceNumber < FIRST && !inGap(rtp.header.sequenceNumber));
    let dropped = 0;
    pair.tap((srtp) => srtp.readUInt32BE(8) === sender.ssrc && inGap(srtp.readUInt16BE(2)) && ++dropped > 0);
    await write(pair.tracks[0]!, range(FIRST, GAP_FIRST - FIRST + GAP + AFTER));
    await waitUntil(() => arrivedAfterGap().length >= AFTER, 3000, 'the packets after the gap').catch(() => {});
    pair.tap(() => false);
    console.log(`  ${name}, lost in the network: ${dropped} dropped, ${received().length - arrivedAfterGap().length} of ${beforeGap.length} received before the gap, ${arrivedAfterGap().length} of ${AFTER} after it`);
    assert.is(dropped, GAP);
    assert.is(arrivedAfterGap().length, AFTER, 'every packet after the gap arrives');
    for (const rtp of arrivedAfterGap()) {
      assert.ok(rtp.payload.equals(payloadOf(0x10000 + rtp.header.sequenceNumber)), `payload of SEQ ${rtp.header.sequenceNumber}`);
    }
  });

  test('a sender skipping 300 sequence numbers across the wrap seals what an RFC 3711 receiver accepts', async () => {
    const sender = pair.senders[1]!;
    const reference = new ReferenceReceiver(sessionKeys(name, pair.sendingKeys()));
    const onWire: { seq: number; index: number | undefined }[] = [];
    pair.tap((srtp) => {
      if (srtp.readUInt32BE(8) === sender.ssrc) onWire.push({ seq: srtp.readUInt16BE(2), index: reference.unprotect(srtp)?.index });
      return false;
    });
    const indices = [...beforeGap, ...afterGap];
    await write(pair.tracks[1]!, indices);
    await waitUntil(() => onWire.length >= indices.length && pair.receivedFrom(sender).length >= indices.length, 3000, 'the packets').catch(() => {});
    pair.tap(() => false);
    const refused = onWire.filter((packet, i) => packet.index !== indices[i]);
    console.log(`  ${name}, skipped by the sender: ${onWire.length} on the wire, ${refused.length} refused by the RFC 3711 reference, ${pair.receivedFrom(sender).length} decrypted by werift`);
    assert.is(onWire.length, indices.length);
    assert.is(refused.length, 0, `${refused.length} refused, first: SEQ ${refused[0]?.seq}`);
    assert.is(pair.receivedFrom(sender).length, indices.length, 'werift decrypts them all too');
  });

  test.run();
}
