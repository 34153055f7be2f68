/**
 * A zero-copy view of an RTP packet's fixed header, CSRC list, header extension and padding.
 *
 * RFC 3550 §5.1: 12 fixed bytes (V=2, P, X, CC, M, PT, sequence number, timestamp, SSRC), then CC
 * 4-byte CSRCs, then, when X is set, an extension block: a 16-bit profile, a 16-bit length in 32-bit
 * words, and that many words. When P is set, the packet's last byte counts the padding bytes at its
 * end, that byte included. RFC 8285 splits the extension block into elements: the one-byte form
 * (profile 0xBEDE: a byte of 4-bit id and 4-bit length-1, ids 1–14, 0 = a padding byte, 15 = stop)
 * and the two-byte form (profile 0x100X: an id byte and a length byte, 0 = a padding byte).
 *
 * The packet path parses every packet, so `RtpHeader.wrap` reuses one view and allocates nothing;
 * anything malformed gives `undefined` rather than an exception (STYLE §5), so a hostile or broken
 * sender can only get its own packets dropped.
 *
 * The keyframe tests look only at the first bytes of the payload: VP8 (RFC 7741 payload descriptor,
 * then the frame tag's P bit and the key frame start code) and H.264 (RFC 6184 single NAL unit,
 * STAP-A/B aggregates and FU-A/B fragments carrying an IDR slice or a sequence parameter set, which
 * browsers send right before an IDR). They answer for the packet that starts a keyframe, which is
 * the one where a subscriber can switch onto a stream.
 */

const ONE_BYTE_PROFILE = 0xbede;
const TWO_BYTE_PROFILE_MASK = 0xfff0;
const TWO_BYTE_PROFILE = 0x1000;

export class RtpHeader {
  /** The wrapped packet; the offsets below index into it. */
  buf: Uint8Array = new Uint8Array(0);
  padding = false;
  extension = false;
  csrcCount = 0;
  /** Bytes before the payload: fixed header, CSRCs and extension block. */
  headerLength = 0;
  payloadOffset = 0;
  /** Payload bytes, padding excluded (may be 0: padding-only probes). */
  payloadLength = 0;
  paddingLength = 0;
  /** The extension block's profile (0xBEDE, 0x100X…) or 0 when there is none. */
  extensionProfile = 0;
  /** Where the extension elements start and how many bytes they span (after the 4-byte block header). */
  extensionOffset = 0;
  extensionLength = 0;
  /** Set by `findExtension`: the length of the element it found. */
  foundLength = 0;

  /** A new view of `buf`, or `undefined` when `buf` is not a valid RTP packet. */
  static parse(buf: Uint8Array): RtpHeader | undefined {
    return new RtpHeader().wrap(buf);
  }

  /** Re-points this view at `buf` without allocating; `undefined` when `buf` is not valid RTP. */
  wrap(buf: Uint8Array): this | undefined {
    const length = buf.length;
    if (length < 12) return undefined;
    const b0 = buf[0]!;
    if (b0 >> 6 !== 2) return undefined;
    const csrcCount = b0 & 0x0f;
    let headerLength = 12 + 4 * csrcCount;
    if (headerLength > length) return undefined;
    const extension = (b0 & 0x10) !== 0;
    let extensionProfile = 0;
    let extensionOffset = 0;
    let extensionLength = 0;
    if (extension) {
      if (headerLength + 4 > length) return undefined;
      extensionProfile = (buf[headerLength]! << 8) | buf[headerLength + 1]!;
      extensionLength = 4 * ((buf[headerLength + 2]! << 8) | buf[headerLength + 3]!);
      extensionOffset = headerLength + 4;
      headerLength = extensionOffset + extensionLength;
      if (headerLength > length) return undefined;
    }
    const padding = (b0 & 0x20) !== 0;
    let paddingLength = 0;
    if (padding) {
      paddingLength = buf[length - 1]!;
      if (paddingLength === 0 || headerLength + paddingLength > length) return undefined;
    }
    this.buf = buf;
    this.padding = padding;
    this.extension = extension;
    this.csrcCount = csrcCount;
    this.headerLength = headerLength;
    this.payloadOffset = headerLength;
    this.payloadLength = length - headerLength - paddingLength;
    this.paddingLength = paddingLength;
    this.extensionProfile = extensionProfile;
    this.extensionOffset = extensionOffset;
    this.extensionLength = extensionLength;
    this.foundLength = 0;
    return this;
  }

  get version(): number {
    return this.buf[0]! >> 6;
  }
  get marker(): boolean {
    return (this.buf[1]! & 0x80) !== 0;
  }
  get payloadType(): number {
    return this.buf[1]! & 0x7f;
  }
  get sequenceNumber(): number {
    return (this.buf[2]! << 8) | this.buf[3]!;
  }
  get timestamp(): number {
    return readUint32(this.buf, 4);
  }
  get ssrc(): number {
    return readUint32(this.buf, 8);
  }
  csrc(index: number): number | undefined {
    return index >= 0 && index < this.csrcCount ? readUint32(this.buf, 12 + 4 * index) : undefined;
  }

  /**
   * The offset in `buf` of extension element `id`'s data, its length left in `foundLength`; -1 when
   * the packet has no such element, or its extension block is malformed or of an unknown profile.
   */
  findExtension(id: number): number {
    this.foundLength = 0;
    if (!this.extension) return -1;
    const buf = this.buf;
    const end = this.extensionOffset + this.extensionLength;
    let i = this.extensionOffset;
    if (this.extensionProfile === ONE_BYTE_PROFILE) {
      while (i < end) {
        const b = buf[i]!;
        const elementId = b >> 4;
        if (elementId === 0) {
          i++; // padding byte
          continue;
        }
        if (elementId === 15) return -1; // RFC 8285 §4.2: stop processing
        const length = (b & 0x0f) + 1;
        if (i + 1 + length > end) return -1;
        if (elementId === id) {
          this.foundLength = length;
          return i + 1;
        }
        i += 1 + length;
      }
      return -1;
    }
    if ((this.extensionProfile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_PROFILE) {
      while (i < end) {
        const elementId = buf[i]!;
        if (elementId === 0) {
          i++;
          continue;
        }
        if (i + 2 > end) return -1;
        const length = buf[i + 1]!;
        if (i + 2 + length > end) return -1;
        if (elementId === id) {
          this.foundLength = length;
          return i + 2;
        }
        i += 2 + length;
      }
    }
    return -1;
  }

  /** Extension element `id`'s bytes (a view, not a copy), for code off the per-packet path. */
  extensionBytes(id: number): Uint8Array | undefined {
    const at = this.findExtension(id);
    return at < 0 ? undefined : this.buf.subarray(at, at + this.foundLength);
  }

  /** The payload (a view, not a copy), for code off the per-packet path. */
  payload(): Uint8Array {
    return this.buf.subarray(this.payloadOffset, this.payloadOffset + this.payloadLength);
  }
}

function readUint32(buf: Uint8Array, at: number): number {
  return buf[at]! * 0x1000000 + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!);
}

/**
 * Whether a VP8 RTP payload starts a key frame (RFC 7741 §4.2–4.3): the descriptor's S bit set with
 * partition index 0, then the VP8 frame tag with P = 0 and the key frame start code 9D 01 2A.
 */
export function isVp8Keyframe(buf: Uint8Array, offset = 0, length = buf.length - offset): boolean {
  const end = Math.min(buf.length, offset + length);
  if (offset < 0 || offset >= end) return false;
  const b0 = buf[offset]!;
  if ((b0 & 0x10) === 0 || (b0 & 0x07) !== 0) return false;
  let i = offset + 1;
  if (b0 & 0x80) {
    if (i >= end) return false;
    const x = buf[i++]!;
    if (x & 0x80) {
      if (i >= end) return false;
      i += buf[i]! & 0x80 ? 2 : 1; // 15-bit or 7-bit PictureID
    }
    if (x & 0x40) i++; // TL0PICIDX
    if (x & 0x30) i++; // TID/Y/KEYIDX
  }
  if (i + 6 > end) return false;
  return (buf[i]! & 0x01) === 0 && buf[i + 3] === 0x9d && buf[i + 4] === 0x01 && buf[i + 5] === 0x2a;
}

const NAL_IDR = 5;
const NAL_SPS = 7;
const STAP_A = 24;
const STAP_B = 25;
const FU_A = 28;
const FU_B = 29;

/**
 * Whether an H.264 RTP payload (RFC 6184 packetization) starts a key frame: a single NAL unit, an
 * aggregate containing one, or the first fragment of one that is an IDR slice or an SPS.
 */
export function isH264Keyframe(buf: Uint8Array, offset = 0, length = buf.length - offset): boolean {
  const end = Math.min(buf.length, offset + length);
  if (offset < 0 || offset >= end) return false;
  const b0 = buf[offset]!;
  if (b0 & 0x80) return false; // forbidden_zero_bit: a damaged NAL unit
  const type = b0 & 0x1f;
  if (type >= 1 && type <= 23) return type === NAL_IDR || type === NAL_SPS;
  if (type === STAP_A || type === STAP_B) {
    let i = offset + (type === STAP_A ? 1 : 3); // STAP-B carries a 16-bit DON first
    while (i + 2 < end) {
      const size = (buf[i]! << 8) | buf[i + 1]!;
      i += 2;
      if (size === 0 || i + size > end) return false;
      const nal = buf[i]! & 0x1f;
      if (nal === NAL_IDR || nal === NAL_SPS) return true;
      i += size;
    }
    return false;
  }
  if (type === FU_A || type === FU_B) {
    if (offset + 2 > end) return false;
    const fuHeader = buf[offset + 1]!;
    const nal = fuHeader & 0x1f;
    return (fuHeader & 0x80) !== 0 && (nal === NAL_IDR || nal === NAL_SPS);
  }
  return false;
}
