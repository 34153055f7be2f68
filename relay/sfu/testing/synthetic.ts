/**
 * Synthetic media for tests and bench/: RTP packets that look like a browser's, built byte by byte.
 * - audio: Opus-sized payloads at 50 packets/s with the RFC 6464 audio-level extension (one-byte form);
 * - video: VP8 in three simulcast layers (q/h/f ≈ 30/60/180 packets/s at 30 fps), a keyframe every 3 s,
 *   the VP8 payload descriptor and frame tag set so keyframe detection sees what it would on the wire.
 */
import { mulberry32 } from '../../../crdt/testing/network.ts';

export const AUDIO_LEVEL_EXT = 1;

export function audioPacket(seq: number, ts: number, ssrc: number, levelByte: number, payload = 60): Uint8Array {
  const b = new Uint8Array(12 + 8 + payload);
  const v = new DataView(b.buffer);
  b[0] = 0x90; // V=2, X=1
  b[1] = 111;
  v.setUint16(2, seq & 0xffff);
  v.setUint32(4, ts >>> 0);
  v.setUint32(8, ssrc >>> 0);
  v.setUint16(12, 0xbede);
  v.setUint16(14, 1); // one 32-bit word of elements
  b[16] = (AUDIO_LEVEL_EXT << 4) | 0; // id, length-1 = 0
  b[17] = levelByte;
  return b;
}

export function vp8Packet(seq: number, ts: number, ssrc: number, opts: { keyframe: boolean; frameStart: boolean; marker: boolean; payload?: number }): Uint8Array {
  const size = opts.payload ?? 1100;
  const b = new Uint8Array(12 + size);
  const v = new DataView(b.buffer);
  b[0] = 0x80;
  b[1] = 96 | (opts.marker ? 0x80 : 0);
  v.setUint16(2, seq & 0xffff);
  v.setUint32(4, ts >>> 0);
  v.setUint32(8, ssrc >>> 0);
  b[12] = opts.frameStart ? 0x10 : 0x00; // VP8 descriptor: S bit, partition 0
  if (opts.frameStart) {
    b[13] = opts.keyframe ? 0x00 : 0x01; // frame tag: P bit clear on a keyframe
    if (opts.keyframe) b.set([0x9d, 0x01, 0x2a], 16);
  }
  return b;
}

export type SyntheticPacket = { publisher: number; kind: 'audio' | 'video'; layer: number; bytes: Uint8Array; at: number };

const LAYER_PACKETS_PER_FRAME = [1, 2, 6] as const;

/**
 * A seeded stream of all the packets a room's publishers send, in time order, from `start` for
 * `durationMs`. `talkers` publishers speak (levels around -20 dBov with voice), the rest are near silent.
 */
export function* roomTraffic(opts: { publishers: number; video: boolean; talkers: number; durationMs: number; seed: number; start?: number }): Generator<SyntheticPacket> {
  const random = mulberry32(opts.seed);
  const start = opts.start ?? 0;
  const seq = new Map<string, number>();
  const next = (key: string) => {
    const s = (seq.get(key) ?? Math.floor(random() * 65536)) + 1;
    seq.set(key, s);
    return s & 0xffff;
  };
  for (let t = 0; t < opts.durationMs; t += 20) {
    const now = start + t;
    for (let p = 0; p < opts.publishers; p++) {
      const talking = p < opts.talkers;
      const level = talking ? 0x80 | (15 + Math.floor(random() * 10)) : 100 + Math.floor(random() * 27);
      yield { publisher: p, kind: 'audio', layer: 0, bytes: audioPacket(next(`a${p}`), (now * 48) >>> 0, 0x1000 + p, level), at: now };
      if (!opts.video || t % 40 !== 0) continue; // video frames every 40 ms here (25 fps) keep the ratio realistic
      const frame = t / 40;
      const keyframe = frame % 75 === 0;
      for (let layer = 0; layer < 3; layer++) {
        const count = LAYER_PACKETS_PER_FRAME[layer]! * (keyframe ? 3 : 1);
        for (let i = 0; i < count; i++) {
          const bytes = vp8Packet(next(`v${p}:${layer}`), (now * 90) >>> 0, 0x2000 + p * 4 + layer, { keyframe, frameStart: i === 0, marker: i === count - 1, payload: layer === 0 ? 500 : 1100 });
          yield { publisher: p, kind: 'video', layer, bytes, at: now };
        }
      }
    }
  }
}
