/**
 * An independent SRTP reference for tests, written from the RFCs with node:crypto and no werift code.
 *
 * SRTP (RFC 3711) encrypts an RTP payload under a 48-bit packet index i = ROC · 2^16 + SEQ. Only SEQ
 * travels in the packet; each end keeps the rollover counter (ROC) and must estimate it per packet
 * (§3.3.1, Appendix A) from s_l, the highest sequence number it has authenticated. Session keys come
 * from the master key and salt through the AES-CM key derivation of §4.3 (key derivation rate 0).
 *
 * - AES128_CM_HMAC_SHA1_80 (RFC 3711): AES-CTR with IV = salt·2^16 ⊕ SSRC·2^64 ⊕ i·2^16, then a
 *   10-byte HMAC-SHA1 tag over header ‖ encrypted payload ‖ ROC.
 * - AEAD_AES_128_GCM (RFC 7714 §8): IV = (00 00 ‖ SSRC ‖ ROC ‖ SEQ) ⊕ salt, the header as AAD, a
 *   16-byte tag. Its 12-byte master salt is zero-padded to 14 bytes for the KDF, as libsrtp does.
 *
 * `protectRtp` seals a packet at an index the caller knows; `ReferenceReceiver` is a correct RFC 3711
 * receiver, used to judge what another sender put on the wire. Neither is meant for production.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

export type ProfileName = 'AES128_CM_HMAC_SHA1_80' | 'AEAD_AES_128_GCM';

export type MasterKeys = { key: Buffer; salt: Buffer };

type SessionKeys = { profile: ProfileName; key: Buffer; salt: Buffer; auth: Buffer };

/** RFC 3711 §4.3.1/§4.3.3: AES-CM over x = master_salt ⊕ (label · 2^48), r = 0. */
function derive(master: MasterKeys, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  master.salt.copy(iv, 0);
  iv[7]! ^= label;
  return createCipheriv('aes-128-ctr', master.key, iv).update(Buffer.alloc(length));
}

export function sessionKeys(profile: ProfileName, master: MasterKeys): SessionKeys {
  return {
    profile,
    key: derive(master, 0, 16),
    auth: derive(master, 1, 20),
    salt: derive(master, 2, profile === 'AEAD_AES_128_GCM' ? 12 : 14),
  };
}

/** Length of the RTP header: fixed part, CSRCs and the extension block. */
export function rtpHeaderLength(packet: Buffer): number {
  let length = 12 + 4 * (packet[0]! & 0x0f);
  if (packet[0]! & 0x10) length += 4 + 4 * packet.readUInt16BE(length + 2);
  return length;
}

function ctrIv(keys: SessionKeys, ssrc: number, roc: number, seq: number): Buffer {
  const iv = Buffer.alloc(16);
  keys.salt.copy(iv, 0);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  iv.writeUInt32BE((iv.readUInt32BE(8) ^ roc) >>> 0, 8);
  iv.writeUInt16BE(iv.readUInt16BE(12) ^ seq, 12);
  return iv;
}

function gcmIv(keys: SessionKeys, ssrc: number, roc: number, seq: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(ssrc, 2);
  iv.writeUInt32BE(roc, 6);
  iv.writeUInt16BE(seq, 10);
  for (let i = 0; i < 12; i++) iv[i]! ^= keys.salt[i]!;
  return iv;
}

function hmacTag(keys: SessionKeys, sealed: Buffer, roc: number): Buffer {
  const rocBytes = Buffer.alloc(4);
  rocBytes.writeUInt32BE(roc);
  return createHmac('sha1', keys.auth).update(sealed).update(rocBytes).digest().subarray(0, 10);
}

/** Seals a plain RTP packet whose 48-bit index is `index` (the packet's SEQ must be index mod 2^16). */
export function protectRtp(keys: SessionKeys, rtp: Buffer, index: number): Buffer {
  const roc = Math.floor(index / 0x10000);
  const seq = rtp.readUInt16BE(2);
  if (seq !== index % 0x10000) throw new RangeError(`SEQ ${seq} does not match index ${index}`);
  const ssrc = rtp.readUInt32BE(8);
  const headerLength = rtpHeaderLength(rtp);
  const header = rtp.subarray(0, headerLength);
  if (keys.profile === 'AEAD_AES_128_GCM') {
    const cipher = createCipheriv('aes-128-gcm', keys.key, gcmIv(keys, ssrc, roc, seq));
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(rtp.subarray(headerLength)), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]);
  }
  const body = createCipheriv('aes-128-ctr', keys.key, ctrIv(keys, ssrc, roc, seq)).update(rtp.subarray(headerLength));
  const sealed = Buffer.concat([header, body]);
  return Buffer.concat([sealed, hmacTag(keys, sealed, roc)]);
}

/** Opens a sealed packet under a given ROC; undefined when it does not authenticate. */
export function unprotectRtp(keys: SessionKeys, srtp: Buffer, roc: number): Buffer | undefined {
  const seq = srtp.readUInt16BE(2);
  const ssrc = srtp.readUInt32BE(8);
  const headerLength = rtpHeaderLength(srtp);
  const header = srtp.subarray(0, headerLength);
  if (keys.profile === 'AEAD_AES_128_GCM') {
    const decipher = createDecipheriv('aes-128-gcm', keys.key, gcmIv(keys, ssrc, roc, seq));
    decipher.setAAD(header);
    decipher.setAuthTag(srtp.subarray(srtp.length - 16));
    const body = decipher.update(srtp.subarray(headerLength, srtp.length - 16));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    return Buffer.concat([header, body]);
  }
  const sealed = srtp.subarray(0, srtp.length - 10);
  if (!timingSafeEqual(hmacTag(keys, sealed, roc), srtp.subarray(srtp.length - 10))) return undefined;
  const body = createDecipheriv('aes-128-ctr', keys.key, ctrIv(keys, ssrc, roc, seq)).update(sealed.subarray(headerLength));
  return Buffer.concat([header, body]);
}

/** A correct RFC 3711 receiver: Appendix A index estimation, state advanced only after authentication. */
export class ReferenceReceiver {
  readonly #keys: SessionKeys;
  readonly #streams = new Map<number, { roc: number; highest: number }>();

  constructor(keys: SessionKeys) {
    this.#keys = keys;
  }

  /** The plain packet and the index it was sealed at, or undefined when it does not authenticate. */
  unprotect(srtp: Buffer): { rtp: Buffer; index: number } | undefined {
    const seq = srtp.readUInt16BE(2);
    const ssrc = srtp.readUInt32BE(8);
    const stream = this.#streams.get(ssrc);
    if (!stream) {
      const rtp = unprotectRtp(this.#keys, srtp, 0);
      if (rtp) this.#streams.set(ssrc, { roc: 0, highest: seq });
      return rtp && { rtp, index: seq };
    }
    let step = 0;
    if (stream.highest < 0x8000) {
      if (seq - stream.highest > 0x8000) step = -1;
    } else if (stream.highest - 0x8000 > seq) step = 1;
    const roc = (stream.roc + step) >>> 0;
    const rtp = unprotectRtp(this.#keys, srtp, roc);
    if (!rtp) return undefined;
    if (step === 1 || (step === 0 && seq > stream.highest)) {
      stream.roc = roc;
      stream.highest = seq;
    }
    return { rtp, index: roc * 0x10000 + seq };
  }
}
