/**
 * The Chromium capture (chromium-capture.json, made by capture-chromium.ts) as packets again: each one
 * rebuilt at its original length from its header and the payload bytes kept, the rest zero, and a
 * padded packet's padding count back in its last byte (RFC 3550 §5.1), so a parser sees what the
 * relay saw apart from the video payload after its first 16 bytes.
 */
import { readFileSync } from 'node:fs';

export type CapturedPublication = { id: string; kind: 'audio' | 'video'; mid: string; rid: string | null; rids: string[]; ssrc: number | null; extensions: Record<string, string> };
export type CapturedPacket = { at: number; pub: CapturedPublication; bytes: Uint8Array };
export type Capture = { chromium: string; cipher: string; publications: CapturedPublication[]; packets: CapturedPacket[] };

type Stored = { at: number; pub: number; length: number; padding?: number; hex: string };

export function loadCapture(path = new URL('./chromium-capture.json', import.meta.url)): Capture {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Omit<Capture, 'packets'> & { packets: Stored[] };
  const packets = json.packets.map((p) => {
    const bytes = new Uint8Array(p.length);
    bytes.set(Buffer.from(p.hex, 'hex'));
    if (p.padding !== undefined) bytes[p.length - 1] = p.padding;
    return { at: p.at, pub: json.publications[p.pub]!, bytes };
  });
  return { chromium: json.chromium, cipher: json.cipher, publications: json.publications, packets };
}

/** The id a captured publication negotiated for extension `uri`, if it did. */
export function extensionId(pub: CapturedPublication, uri: string): number | undefined {
  const entry = Object.entries(pub.extensions).find(([, u]) => u === uri);
  return entry ? Number(entry[0]) : undefined;
}
