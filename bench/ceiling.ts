/**
 * Node's own per-packet ceiling on this machine, on one core: protect an RTP packet with SRTP and send it
 * in one UDP datagram. This is the most any relay written in Node can forward per core; the report shows
 * the relay's forwarded packets/s as a fraction of it.
 *
 * Two sealers per profile: werift's SrtpSession (what the relay runs) and a minimal one on node:crypto
 * (relay/sfu/srtp/reference.ts), so the cost of werift's own code is visible. Datagrams go to a sink
 * process on loopback (udp-sink.ts), as the relay's go to its subscribers. CPU time of this process
 * (process.cpuUsage), not wall time, divides the count.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80, RtpHeader, SrtpSession } from 'werift';
import { protectRtp, sessionKeys } from '../relay/sfu/srtp/reference.ts';
import { startUdpSink } from './udp-sink.ts';
import type { ProfileName } from '../relay/sfu/srtp/reference.ts';

export type CeilingResult = { profile: ProfileName; sealer: 'werift' | 'node:crypto'; withSend: boolean; packetsPerCpuSecond: number; nsPerPacket: number };

const PAYLOAD = 1100; // a typical video packet

function sealers(profile: ProfileName) {
  const master = { key: randomBytes(16), salt: randomBytes(profile === 'AEAD_AES_128_GCM' ? 12 : 14) };
  const werift = new SrtpSession({
    keys: { localMasterKey: master.key, localMasterSalt: master.salt, remoteMasterKey: master.key, remoteMasterSalt: master.salt },
    profile: profile === 'AEAD_AES_128_GCM' ? ProtectionProfileAeadAes128Gcm : ProtectionProfileAes128CmHmacSha1_80,
  });
  const keys = sessionKeys(profile, master);
  const payload = randomBytes(PAYLOAD);
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = 96;
  header.writeUInt32BE(0x11223344, 8);
  return {
    werift: (i: number) => werift.encrypt(payload, new RtpHeader({ payloadType: 96, sequenceNumber: i & 0xffff, timestamp: i * 3000, ssrc: 0x11223344 })),
    'node:crypto': (i: number) => {
      header.writeUInt16BE(i & 0xffff, 2);
      header.writeUInt32BE((i * 3000) >>> 0, 4);
      return protectRtp(keys, Buffer.concat([header, payload]), i);
    },
  } as const;
}

async function measure(seal: (i: number) => Buffer, send: ((b: Buffer) => Promise<void>) | undefined, seconds: number): Promise<number> {
  const start = process.cpuUsage();
  const deadline = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < deadline) {
    const batch: Promise<void>[] = [];
    for (let k = 0; k < 256; k++, n++) {
      const packet = seal(n);
      if (send) batch.push(send(packet));
    }
    await Promise.all(batch);
  }
  const used = process.cpuUsage(start);
  return n / ((used.user + used.system) / 1e6);
}

type Case = Pick<CeilingResult, 'profile' | 'sealer' | 'withSend'>;

/** Every profile × sealer × with/without send, or those `only` accepts. */
export async function runCeiling(seconds: number, onProgress: (label: string) => void = () => {}, only: (c: Case) => boolean = () => true): Promise<CeilingResult[]> {
  const sink = await startUdpSink();
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const send = (b: Buffer) => new Promise<void>((resolve) => socket.send(b, sink.ports[0]!, '127.0.0.1', () => resolve()));
  const results: CeilingResult[] = [];
  try {
    for (const profile of ['AES128_CM_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] as const) {
      const s = sealers(profile);
      for (const sealer of ['werift', 'node:crypto'] as const) {
        for (const withSend of [false, true]) {
          if (!only({ profile, sealer, withSend })) continue;
          onProgress(`ceiling: ${profile} ${sealer}${withSend ? ' + UDP send' : ''}`);
          const pps = await measure(s[sealer], withSend ? send : undefined, seconds);
          results.push({ profile, sealer, withSend, packetsPerCpuSecond: pps, nsPerPacket: 1e9 / pps });
        }
      }
    }
  } finally {
    socket.close();
    sink.stop();
  }
  return results;
}
