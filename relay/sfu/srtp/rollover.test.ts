/**
 * werift's SRTP rollover counter (ROC) against RFC 3711 §3.3.1, on every copy of werift Node can load.
 *
 * werift 0.24.4 only moved the ROC when the sequence number wrapped within ±100 packets, so losing
 * ~200 packets across a wrap failed every later packet, on receive and on send. The fix is
 * patches/werift+0.24.4.patch (applied by `postinstall`); these tests fail without it. The judge of
 * what a sender put on the wire is `reference.ts`, an RFC 3711 receiver written without werift.
 */
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as weriftEsm from 'werift';
import * as weriftNonstandard from 'werift/nonstandard';
import { mulberry32, randomInt } from '../../../crdt/testing/network.ts';
import { ReferenceReceiver, protectRtp, sessionKeys } from './reference.ts';
import type { MasterKeys, ProfileName } from './reference.ts';

type Werift = Pick<typeof weriftEsm, 'SrtpSession' | 'RtpHeader' | 'ProtectionProfileAes128CmHmacSha1_80' | 'ProtectionProfileAeadAes128Gcm'>;

/** The three copies of werift's SRTP code in the package: a fix must reach each one. */
const copies: [string, Werift][] = [
  ['ESM lib/index.mjs', weriftEsm],
  ['ESM lib/nonstandard/index.mjs', weriftNonstandard],
  ['CJS lib/rtp/src/srtp', createRequire(import.meta.url)('werift') as Werift],
];
const profiles: ProfileName[] = ['AES128_CM_HMAC_SHA1_80', 'AEAD_AES_128_GCM'];

const SSRC = 0x5eed1234;
/** First index of the streams: SEQ 65000 with ROC 0, so the first wrap comes after 536 packets. */
const START = 65_000;

function masterKeys(profile: ProfileName, seed: number): MasterKeys {
  const random = mulberry32(seed);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => randomInt(random, 0, 255)));
  return { key: bytes(16), salt: bytes(profile === 'AEAD_AES_128_GCM' ? 12 : 14) };
}

/** A werift SRTP session whose local and remote keys are both `master`, so one can read the other. */
function session(werift: Werift, profile: ProfileName, master: MasterKeys) {
  return new werift.SrtpSession({
    keys: { localMasterKey: master.key, localMasterSalt: master.salt, remoteMasterKey: master.key, remoteMasterSalt: master.salt },
    profile: profile === 'AEAD_AES_128_GCM' ? werift.ProtectionProfileAeadAes128Gcm : werift.ProtectionProfileAes128CmHmacSha1_80,
  });
}

const payloadOf = (index: number) => Buffer.from(`packet at index ${index}`.padEnd(40, '.'));
const seqOf = (index: number) => index % 0x10000;

function header(werift: Werift, index: number) {
  return new werift.RtpHeader({ payloadType: 96, sequenceNumber: seqOf(index), timestamp: (index * 3000) >>> 0, ssrc: SSRC });
}

/** A plain RTP packet at `index`, serialised without werift (12-byte header, no extension). */
function plainRtp(index: number): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x80;
  head[1] = 96;
  head.writeUInt16BE(seqOf(index), 2);
  head.writeUInt32BE((index * 3000) >>> 0, 4);
  head.writeUInt32BE(SSRC, 8);
  return Buffer.concat([head, payloadOf(index)]);
}

/** Unprotects with werift; the recovered payload, or the error's message. */
function open(receiver: ReturnType<typeof session>, srtp: Buffer): Buffer | string {
  try {
    return receiver.decrypt(srtp).subarray(12);
  } catch (error) {
    return (error as Error).message;
  }
}

/** The 300 packets missing across the first wrap: SEQ 65400 … 65535 and 0 … 163. */
const LOST_FIRST = 65_400;
const LOST_COUNT = 300;
const isLost = (index: number) => index >= LOST_FIRST && index < LOST_FIRST + LOST_COUNT;

for (const [copy, werift] of copies) {
  for (const profile of profiles) {
    const name = `${profile}, ${copy}`;

    test(`unprotect(): after 300 packets lost across the wrap (SEQ 65400…163), every later packet authenticates [${name}]`, () => {
      const master = masterKeys(profile, 1);
      const sender = session(werift, profile, master);
      const receiver = session(werift, profile, master);
      const failures: string[] = [];
      let delivered = 0;
      for (let index = START; index < START + 1500; index++) {
        const srtp = sender.encrypt(payloadOf(index), header(werift, index));
        if (isLost(index)) continue;
        delivered++;
        const got = open(receiver, srtp);
        if (typeof got === 'string' || !got.equals(payloadOf(index))) failures.push(`SEQ ${seqOf(index)}: ${typeof got === 'string' ? got : 'wrong payload'}`);
      }
      assert.is(failures.length, 0, `${failures.length} of ${delivered} delivered packets failed, first: ${failures[0]}`);
    });

    test(`unprotect(): a packet from before the wrap, delayed by 200 packets, still authenticates [${name}]`, () => {
      const master = masterKeys(profile, 2);
      const keys = sessionKeys(profile, master);
      const receiver = session(werift, profile, master);
      const late = 65_530;
      const order = [...Array.from({ length: 736 }, (_, i) => START + i).filter((i) => i !== late), late, START + 736];
      for (const index of order) {
        const got = open(receiver, protectRtp(keys, plainRtp(index), index));
        assert.ok(Buffer.isBuffer(got) && got.equals(payloadOf(index)), `SEQ ${seqOf(index)}: ${String(got)}`);
      }
    });

    test(`unprotect(): forged packets move neither the ROC nor s_l [${name}]`, () => {
      const master = masterKeys(profile, 3);
      const keys = sessionKeys(profile, master);
      const receiver = session(werift, profile, master);
      const deliver = (index: number) => open(receiver, protectRtp(keys, plainRtp(index), index));
      const forge = (index: number) => {
        const forged = protectRtp(keys, plainRtp(index), index);
        forged[forged.length - 1]! ^= 0xff;
        return open(receiver, forged);
      };
      for (let index = 10_000; index <= 20_000; index += 1000) deliver(index);
      // Taken as genuine, these would carry s_l to 52000, then a wrap to ROC 1 at SEQ 19000.
      assert.type(forge(52_000), 'string');
      assert.type(forge(0x10000 + 19_000), 'string');
      for (let index = 20_001; index < 20_100; index++) {
        const got = deliver(index);
        assert.ok(Buffer.isBuffer(got) && got.equals(payloadOf(index)), `SEQ ${seqOf(index)} after the forgeries: ${String(got)}`);
      }
    });

    test(`unprotect(): a packet 32000 late does not pull s_l back [${name}]`, () => {
      const master = masterKeys(profile, 7);
      const keys = sessionKeys(profile, master);
      const receiver = session(werift, profile, master);
      const deliver = (index: number) => open(receiver, protectRtp(keys, plainRtp(index), index));
      const order = [];
      for (let index = 60_000; index <= 0x10000 + 40_000; index += 1000) order.push(index);
      order.push(0x10000 + 8000); // 32000 behind s_l: still within RFC 3711's window, so it authenticates
      for (let index = 0x10000 + 41_000; index <= 0x10000 + 42_000; index += 100) order.push(index);
      for (const index of order) {
        const got = deliver(index);
        assert.ok(Buffer.isBuffer(got) && got.equals(payloadOf(index)), `SEQ ${seqOf(index)} (index ${index}): ${String(got)}`);
      }
    });

    test(`protect(): after the sender skips 300 sequence numbers across the wrap, an RFC 3711 receiver authenticates every packet [${name}]`, () => {
      const master = masterKeys(profile, 4);
      const sender = session(werift, profile, master);
      const reference = new ReferenceReceiver(sessionKeys(profile, master));
      const failures: string[] = [];
      for (let index = START; index < START + 1500; index++) {
        if (isLost(index)) continue;
        const got = reference.unprotect(sender.encrypt(payloadOf(index), header(werift, index)));
        if (!got || got.index !== index) failures.push(`SEQ ${seqOf(index)}: ${got ? `read at index ${got.index}` : 'not authenticated'}`);
      }
      assert.is(failures.length, 0, `${failures.length} packets failed, first: ${failures[0]}`);
    });

    test(`protect()/unprotect() over 4 wraps with seeded loss, bursts, jumps, reordering and retransmissions near the wrap [${name}]`, () => {
      const random = mulberry32(0x5eed + profile.length);
      const master = masterKeys(profile, 5);
      const keys = sessionKeys(profile, master);
      const sender = session(werift, profile, master);
      const receiver = session(werift, profile, master);
      const reference = new ReferenceReceiver(keys);
      const failures: string[] = [];
      const check = (label: string, index: number, ok: boolean) => {
        if (!ok) failures.push(`${label} SEQ ${seqOf(index)} (index ${index})`);
      };
      const delayed: { index: number; due: number }[] = [];
      const receive = (index: number) => {
        const got = open(receiver, protectRtp(keys, plainRtp(index), index));
        check('werift unprotect', index, Buffer.isBuffer(got) && got.equals(payloadOf(index)));
      };
      const send = (index: number) => {
        const got = reference.unprotect(sender.encrypt(payloadOf(index), header(werift, index)));
        check('werift protect', index, got?.index === index && got.rtp.subarray(12).equals(payloadOf(index)));
      };

      let index = START;
      let delivered = 0;
      while (index < START + 4 * 0x10000 + 1000) {
        const nearWrap = Math.min(seqOf(index), 0x10000 - seqOf(index)) < 1000;
        // Far from a wrap only a sparse sample is sent, to keep the run short; gaps stay far below 2^15.
        if (!nearWrap) index += randomInt(random, 1, 100);
        else if (random() < 0.003) index += randomInt(random, 100, 3000);
        else index += random() < 0.1 ? 2 : 1;
        send(index);
        if (nearWrap && random() < 0.02) send(index - randomInt(random, 1, 500)); // a NACKed retransmission
        if (nearWrap && random() < 0.05) delayed.push({ index, due: index + randomInt(random, 1, 300) });
        else receive(index);
        delivered++;
        for (const late of delayed.filter((d) => d.due <= index)) receive(late.index);
        delayed.splice(0, delayed.length, ...delayed.filter((d) => d.due > index));
      }
      assert.ok(delivered > 5000, `${delivered} packets exercised`);
      assert.is(failures.length, 0, `${failures.length} failures, first: ${failures.slice(0, 3).join('; ')}`);
    });
  }
}

for (const profile of profiles) {
  test(`reference.ts and werift agree on an unbroken stream across a wrap [${profile}]`, () => {
    const master = masterKeys(profile, 6);
    const keys = sessionKeys(profile, master);
    const werift = session(weriftEsm, profile, master);
    const reference = new ReferenceReceiver(keys);
    for (let index = START; index < START + 1000; index++) {
      const sealed = werift.encrypt(payloadOf(index), header(weriftEsm, index));
      assert.equal(sealed, protectRtp(keys, plainRtp(index), index), `werift and the reference seal SEQ ${seqOf(index)} alike`);
      assert.is(reference.unprotect(sealed)?.index, index);
    }
  });
}

test.run();
