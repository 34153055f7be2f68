/**
 * Which of a remote peer's incoming MediaStreams is its camera and which its screen share. The remote
 * says so in a `{kind:'streams'}` data-channel message, which can arrive before or after the streams
 * themselves; until it does, the first stream is taken for the camera.
 */
export type StreamsMessage = { kind: 'streams'; camera: string | null; screen: string | null };

/** A JSON object from text (or an object as is); null for anything else. */
export function jsonObject(raw: unknown): Record<string, unknown> | null {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function parseStreamsMessage(raw: unknown): StreamsMessage | null {
  const v = jsonObject(raw);
  if (!v || v.kind !== 'streams') return null;
  const id = (x: unknown) => (typeof x === 'string' && x.length > 0 && x.length < 200 ? x : null);
  return { kind: 'streams', camera: id(v.camera), screen: id(v.screen) };
}

export type Classified<S> = { camera: S | null; screen: S | null };

export function classifyStreams<S extends { id: string }>(streams: readonly S[], info: StreamsMessage | null): Classified<S> {
  if (!info) return { camera: streams[0] ?? null, screen: null };
  const screen = info.screen ? (streams.find((s) => s.id === info.screen) ?? null) : null;
  const camera = (info.camera ? streams.find((s) => s.id === info.camera) : undefined) ?? streams.find((s) => s.id !== info.screen) ?? null;
  return { camera, screen };
}
