/**
 * Messages on a mesh link's data channel, validated before use (a remote browser is untrusted input).
 *
 * - `streams`: which of the sender's MediaStreams is its camera and which its screen (remoteStreams.ts).
 * - `camera`: whether the receiver still wants our camera video on this link. During a switch to the
 *   relay, a receiver that shows our tile from the relay says `wanted: false`, and we stop encoding
 *   for that link (the encoding goes inactive; audio and the link stay until the room settles). Two
 *   copies of every video, encoded and decoded side by side, are what overloads a machine mid-switch.
 */
import { jsonObject, parseStreamsMessage, type StreamsMessage } from './remoteStreams.ts';
import { editEncodings, type EncodingSender } from './senderEncodings.ts';

export type CameraWantedMessage = { kind: 'camera'; wanted: boolean };
export type LinkMessage = StreamsMessage | CameraWantedMessage;

/** Longer than any message we send: a bigger one is refused before JSON.parse. */
const MAX_LENGTH = 1000;

export function parseLinkMessage(raw: string): LinkMessage | null {
  if (raw.length > MAX_LENGTH) return null;
  const v = jsonObject(raw);
  if (!v) return null;
  if (v.kind === 'camera') return typeof v.wanted === 'boolean' ? { kind: 'camera', wanted: v.wanted } : null;
  return parseStreamsMessage(v);
}

/** Sets every encoding of a sender active or inactive; resolves false when the sender refused. */
export function setSenderActive(sender: EncodingSender, active: boolean): Promise<boolean> {
  return editEncodings(sender, (encodings) => {
    if (encodings.every((e) => e.active === active)) return false;
    for (const e of encodings) e.active = active;
    return true;
  });
}
