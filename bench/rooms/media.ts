/**
 * The synthetic media of one room participant, as RTP bytes ready to seal: what a browser sends.
 *
 * - Audio: Opus-like 20 ms packets (TOC 0xfc), 80 bytes of payload (32 kbit/s), 50/s, with the RFC 6464
 *   audio-level extension (one-byte form): a talker at about −20 dBov with the voice bit, the others
 *   near silence (−100 to −127 dBov, no voice bit).
 * - Video: VP8 in three simulcast layers (rids q/h/f, 320×180 / 640×360 / 1280×720) at 30 frames/s,
 *   1 / 2 / 6 packets a frame (≈ 30 / 60 / 180 packets/s, as relay/sfu/testing/synthetic.ts), payloads
 *   of 500 / 1,100 / 1,100 bytes; a keyframe (three times as many packets) every 3 s and after a PLI.
 *   Each layer has its own SSRC, as a browser's; each packet carries the rid extension (how werift,
 *   and so the relay, tells the layers apart).
 *
 * Every payload carries, at a fixed offset, the send time (µs on the monotonic clock, which every
 * process on this machine shares), so a receiver that decrypts a packet can take its one-way latency.
 */

export const AUDIO_PAYLOAD = 80;
export const LAYERS = [
  { rid: 'q', packetsPerFrame: 1, payload: 500 },
  { rid: 'h', packetsPerFrame: 2, payload: 1100 },
  { rid: 'f', packetsPerFrame: 6, payload: 1100 },
] as const;
export const FPS = 30;
export const KEYFRAME_EVERY_FRAMES = 90;
/** Where the send time sits in an audio / a VP8 payload (after the codec headers). */
export const AUDIO_TIME_AT = 2;
export const VIDEO_TIME_AT = 10;

/** Now, in µs on the monotonic clock (CLOCK_MONOTONIC: the same in every process on this machine). */
export function monoUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

type Ext = { id: number; value: Uint8Array };

/** An RTP header with one-byte extensions (RFC 8285), then `payloadLength` bytes of zeros. */
function rtp(pt: number, marker: boolean, seq: number, ts: number, ssrc: number, exts: readonly Ext[], payloadLength: number): { bytes: Uint8Array; payloadAt: number } {
  const extBytes = exts.reduce((n, e) => n + 1 + e.value.length, 0);
  const extWords = Math.ceil(extBytes / 4);
  const headerLength = 12 + (extWords > 0 ? 4 + 4 * extWords : 0);
  const b = new Uint8Array(headerLength + payloadLength);
  const v = new DataView(b.buffer);
  b[0] = extWords > 0 ? 0x90 : 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  v.setUint16(2, seq & 0xffff);
  v.setUint32(4, ts >>> 0);
  v.setUint32(8, ssrc >>> 0);
  if (extWords > 0) {
    v.setUint16(12, 0xbede);
    v.setUint16(14, extWords);
    let at = 16;
    for (const e of exts) {
      b[at++] = (e.id << 4) | (e.value.length - 1);
      b.set(e.value, at);
      at += e.value.length;
    }
  }
  return { bytes: b, payloadAt: headerLength };
}

export function audioPacket(o: { pt: number; seq: number; ts: number; ssrc: number; levelExtId: number | undefined; level: number; tag: number; sentUs: number; frameMs?: number }): Uint8Array {
  const exts = o.levelExtId === undefined ? [] : [{ id: o.levelExtId, value: Uint8Array.of(o.level) }];
  const { bytes, payloadAt } = rtp(o.pt, false, o.seq, o.ts, o.ssrc, exts, Math.round((AUDIO_PAYLOAD * (o.frameMs ?? 20)) / 20));
  bytes[payloadAt] = 0xfc;
  bytes[payloadAt + 1] = o.tag & 0xff;
  new DataView(bytes.buffer).setFloat64(payloadAt + AUDIO_TIME_AT, o.sentUs);
  return bytes;
}

/** The level byte of a talker or a quiet participant (`r` a random number in [0, 1)). */
export function levelByte(talking: boolean, r: number): number {
  return talking ? 0x80 | (15 + Math.floor(r * 10)) : 100 + Math.floor(r * 27);
}

/** The packets of one VP8 frame of one layer. */
export function vp8Frame(o: { pt: number; firstSeq: number; ts: number; ssrc: number; ridExtId: number; rid: string; keyframe: boolean; packets: number; payload: number; tag: number; sentUs: number }): Uint8Array[] {
  const rid = new TextEncoder().encode(o.rid);
  const out: Uint8Array[] = [];
  for (let i = 0; i < o.packets; i++) {
    const { bytes, payloadAt } = rtp(o.pt, i === o.packets - 1, o.firstSeq + i, o.ts, o.ssrc, [{ id: o.ridExtId, value: rid }], o.payload);
    bytes[payloadAt] = i === 0 ? 0x10 : 0x00; // VP8 descriptor: S bit on the first packet, partition 0
    if (i === 0) {
      bytes[payloadAt + 1] = o.keyframe ? 0x00 : 0x01; // frame tag: P bit clear on a keyframe
      bytes.set([0x9d, 0x01, 0x2a], payloadAt + 4); // start code
    }
    bytes[payloadAt + 8] = o.tag & 0xff;
    new DataView(bytes.buffer).setFloat64(payloadAt + VIDEO_TIME_AT, o.sentUs);
    out.push(bytes);
  }
  return out;
}

/**
 * The send time in a decrypted RTP packet (header included), or NaN. Audio and video are told apart
 * by the payload type the receiver negotiated for its audio slots.
 */
export function sentUsOf(packet: Uint8Array, audioPt: number): number {
  let at = 12 + 4 * (packet[0]! & 0x0f);
  if (packet[0]! & 0x10) at += 4 + 4 * ((packet[at + 2]! << 8) | packet[at + 3]!);
  const offset = (packet[1]! & 0x7f) === audioPt ? AUDIO_TIME_AT : VIDEO_TIME_AT;
  if (at + offset + 8 > packet.length) return NaN;
  return new DataView(packet.buffer, packet.byteOffset, packet.byteLength).getFloat64(at + offset);
}
