/**
 * SRTP protection (RFC 3711 / RFC 7714) of RTP packets that are already bytes, for the direct send path.
 *
 * werift's `SrtpSession.encrypt(payload, header)` wants an `RtpHeader` object, serialises it again and
 * builds its IV through BigInt and generic buffer writers; the relay has the finished packet in hand, so
 * this seals the bytes as they are, under the same session keys (read off werift's local SRTP context)
 * and the same rollover state (werift's patched `updateRolloverCount` on the context's per-SSRC state),
 * so werift and this sealer could even take turns on one SSRC without disagreeing about the ROC.
 *
 * - AES_CM_128_HMAC_SHA1_80: AES-CTR under IV = salt·2^16 ⊕ SSRC·2^64 ⊕ index·2^16, then a 10-byte
 *   HMAC-SHA1 tag over header ‖ encrypted payload ‖ ROC.
 * - AEAD_AES_128_GCM: IV = (00 00 ‖ SSRC ‖ ROC ‖ SEQ) ⊕ salt (12 bytes), the header as AAD, a 16-byte tag.
 *
 * Node's cipher objects can't be reset, so each packet still costs a cipher (and an HMAC) object; the IV
 * scratch is reused (createCipheriv copies it). `sealParts` leaves the packet in three pieces for a
 * scatter/gather send (no copy into one buffer); the socket may hold them until the datagram is out.
 */
import { createCipheriv, createHmac } from 'node:crypto';
import type { SrtpSession } from 'werift';
import { rtpHeaderLength } from '../forward/index.ts';

/** werift's local SRTP context (keys, profile, per-SSRC rollover state); werift doesn't export its name. */
export type SrtpContext = SrtpSession['localContext'];

/** werift's protection profile numbers (RFC 5764 §4.1.2 / RFC 7714 §14.2). */
const PROFILE_SHA1_80 = 0x0001;
const PROFILE_GCM = 0x0007;
const SHA1_TAG = 10;
const GCM_TAG = 16;

export class UnsupportedProfileError extends Error {
  override name = 'UnsupportedProfileError';
}

/**
 * The IV of an SRTP packet into `iv` (12 bytes for GCM, 16 for AES-CM), from the session salt:
 * GCM (RFC 7714 §8.1) (00 00 ‖ SSRC ‖ ROC ‖ SEQ) ⊕ salt; AES-CM (RFC 3711 §4.1.1)
 * salt·2^16 ⊕ SSRC·2^64 ⊕ (ROC·2^16 + SEQ)·2^16.
 */
export function writeSrtpIv(iv: Buffer, salt: Buffer, gcm: boolean, ssrc: number, roc: number, seq: number): void {
  if (gcm) {
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc, 2);
    iv.writeUInt32BE(roc >>> 0, 6);
    iv.writeUInt16BE(seq, 10);
  } else {
    iv.writeUInt32BE(0, 0);
    iv.writeUInt32BE(ssrc, 4);
    iv.writeUInt32BE(roc >>> 0, 8);
    iv.writeUInt32BE((seq << 16) >>> 0, 12);
  }
  for (let i = 0; i < salt.length; i++) iv[i] = iv[i]! ^ salt[i]!;
}

/** A werift SRTP context's session keys (AEAD_AES_128_GCM or AES_CM_128_HMAC_SHA1_80), and scratch for IVs and the ROC. */
export class SrtpKeys {
  readonly gcm: boolean;
  readonly key: Buffer;
  readonly salt: Buffer;
  readonly auth: Buffer;
  readonly iv: Buffer;
  readonly roc = Buffer.alloc(4);

  static supports(context: SrtpContext): boolean {
    return context.profile === PROFILE_SHA1_80 || context.profile === PROFILE_GCM;
  }

  constructor(context: SrtpContext) {
    if (!SrtpKeys.supports(context)) throw new UnsupportedProfileError(`SRTP profile ${context.profile}`);
    this.gcm = context.profile === PROFILE_GCM;
    this.key = context.srtpSessionKey;
    this.salt = context.srtpSessionSalt;
    this.auth = context.srtpSessionAuthTag;
    this.iv = Buffer.alloc(this.gcm ? 12 : 16);
  }
}

export class RtpSealer {
  readonly gcm: boolean;
  readonly #context: SrtpContext;
  readonly #k: SrtpKeys;

  constructor(context: SrtpContext) {
    this.#k = new SrtpKeys(context);
    this.#context = context;
    this.gcm = this.#k.gcm;
  }

  /** Bytes added to every packet. */
  get overhead(): number {
    return this.gcm ? GCM_TAG : SHA1_TAG;
  }

  /** The protected packet in one fresh buffer, or undefined for a packet that isn't well-formed RTP. Advances the ROC state. */
  seal(rtp: Uint8Array): Buffer | undefined {
    const parts = this.sealParts(rtp);
    return parts && Buffer.concat(parts);
  }

  /**
   * The protected packet as [header, encrypted payload, tag], to send as one datagram (scatter/gather)
   * without copying them together. The header is a view of `rtp`: keep `rtp` unchanged until it is sent.
   */
  sealParts(rtp: Uint8Array): [Uint8Array, Buffer, Buffer] | undefined {
    if (rtp.length < 12 || rtp[0]! >> 6 !== 2) return undefined;
    const headerLength = rtpHeaderLength(rtp);
    if (headerLength < 0) return undefined;
    const seq = (rtp[2]! << 8) | rtp[3]!;
    const ssrc = ((rtp[8]! << 24) | (rtp[9]! << 16) | (rtp[10]! << 8) | rtp[11]!) >>> 0;
    const context = this.#context;
    const roc = context.updateRolloverCount(seq, context.getSrtpSsrcState(ssrc));
    const header = rtp.subarray(0, headerLength);
    const payload = rtp.subarray(headerLength);
    const { iv, key, auth } = this.#k;
    writeSrtpIv(iv, this.#k.salt, this.gcm, ssrc, roc, seq);
    if (this.gcm) {
      const cipher = createCipheriv('aes-128-gcm', key, iv);
      cipher.setAAD(header);
      const encrypted = cipher.update(payload);
      cipher.final();
      return [header, encrypted, cipher.getAuthTag()];
    }
    const encrypted = createCipheriv('aes-128-ctr', key, iv).update(payload);
    this.#k.roc.writeUInt32BE(roc >>> 0, 0);
    const tag = createHmac('sha1', auth).update(header).update(encrypted).update(this.#k.roc).digest().subarray(0, SHA1_TAG);
    return [header, encrypted, tag];
  }
}
