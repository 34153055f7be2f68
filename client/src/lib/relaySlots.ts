/**
 * Relay-mode receive slots (protocol: relay/sfu/transport/protocol.ts). The client offers a few
 * `recvonly` audio slots (the loudest speakers) and one video slot per remote tile it may show; the
 * relay says who sits in which slot with `slots`. Pure: maps and counts, no RTCPeerConnection.
 */
import { editEncodings, type EncodingSender } from './senderEncodings.ts';
import type { SlotsMessage, VideoSource } from '../../../relay/sfu/transport/protocol.ts';

export type { VideoSource };
export type ViewTile = { sessionId: string; source: VideoSource; width: number; height: number };

/** Audio slots: the relay forwards the three loudest speakers. */
export const AUDIO_SLOTS = 3;
/** Video slots beyond this would be tiles no page shows at once (a grid page holds 25). */
export const MAX_VIDEO_SLOTS = 25;
/** The relay accepts at most this many entries in a `view`. */
export const MAX_VIEW_TILES = 50;

/** Video slots to offer: one per other participant (at most a page), plus one while anyone shares a screen. */
export function videoSlotCount(others: number, screenShares: number): number {
  return Math.min(Math.max(0, others), MAX_VIDEO_SLOTS) + (screenShares > 0 ? 1 : 0);
}

export const tileKey = (sessionId: string, source: VideoSource): string => `${sessionId}:${source}`;

/** `sessionId:source` → mid of the video slot that carries it. */
export function videoSeats(slots: Pick<SlotsMessage, 'video'> | null): Map<string, string> {
  const seats = new Map<string, string>();
  for (const s of slots?.video ?? []) if (s.sessionId && s.source) seats.set(tileKey(s.sessionId, s.source), s.mid);
  return seats;
}

/** sessionId → mid of the audio slot that carries that speaker. */
export function audioSeats(slots: Pick<SlotsMessage, 'audio'> | null): Map<string, string> {
  const seats = new Map<string, string>();
  for (const s of slots?.audio ?? []) if (s.sessionId) seats.set(s.sessionId, s.mid);
  return seats;
}

/** The mids whose occupant changed between two `slots` messages (a new occupant needs a fresh frame). */
export function changedMids(before: SlotsMessage | null, after: SlotsMessage): string[] {
  const old = new Map<string, string>();
  for (const s of [...(before?.audio ?? []), ...(before?.video ?? [])]) old.set(s.mid, `${s.sessionId}/${'source' in s ? s.source : ''}`);
  return [...after.audio, ...after.video].filter((s) => old.get(s.mid) !== `${s.sessionId}/${'source' in s ? s.source : ''}`).map((s) => s.mid);
}

/** Whether two views would tell the relay the same thing (sizes within 10 % are the same layer anyway). */
export function sameView(a: readonly ViewTile[], b: readonly ViewTile[]): boolean {
  if (a.length !== b.length) return false;
  const close = (x: number, y: number) => Math.abs(x - y) <= Math.max(x, y) * 0.1;
  return a.every((t, i) => {
    const u = b[i]!;
    return t.sessionId === u.sessionId && t.source === u.source && close(t.width, u.width) && close(t.height, u.height);
  });
}

/** Keeps only the codecs of `mimeType` (e.g. `video/VP8`): the relay negotiates Opus and VP8 alone. */
export function onlyCodec<C extends { mimeType: string }>(codecs: readonly C[], mimeType: string): C[] {
  return codecs.filter((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
}

/** The mids of an SDP's m-sections, in order (to match an answer with the offer it answers). */
export function sdpMids(sdp: string): string[] {
  return [...sdp.matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]!);
}

const SIMULCAST = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 100_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 300_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 900_000 },
];

/**
 * Chromium sends as many simulcast layers as the capture size allows (3 from 960×540, 2 from 480×270,
 * 1 below) and drops the top ones: a 320×180 camera offered q/h/f sends only q, at 80×45. So offer only
 * the layers that will be sent, the top one at full size: q alone at 320×180, q+h at 640×360. The rids
 * then also match the relay's nominal ladder (q 320×180, h 640×360, f 1280×720) and its bitrates, which
 * its layer policy budgets with (offering `f` for a 320×180 stream made it budget ~1 Mb/s per tile).
 */
export function simulcastLayers(height: number): Array<{ rid: string; scaleResolutionDownBy: number; maxBitrate: number }> {
  const layers = height >= 540 ? 3 : height >= 270 ? 2 : 1;
  return SIMULCAST.slice(0, layers).map((e, i) => ({ ...e, scaleResolutionDownBy: 2 ** (layers - 1 - i) }));
}

/**
 * Turns a simulcast sender's encodings on or off to match the rids the relay says someone needs
 * (its `layers` message): an empty list turns them all off (nobody shows this camera); a list naming
 * no rid the sender has leaves every layer on. Resolves false when the browser refused the change.
 */
export function sendOnlyLayers(sender: EncodingSender, rids: readonly string[]): Promise<boolean> {
  return editEncodings(sender, (encodings) => {
    const known = rids.length === 0 || encodings.some((e) => e.rid !== undefined && rids.includes(e.rid));
    const wanted = (e: RTCRtpEncodingParameters) => !known || (e.rid !== undefined && rids.includes(e.rid));
    if (encodings.every((e) => (e.active ?? true) === wanted(e))) return false;
    for (const e of encodings) e.active = wanted(e);
    return true;
  });
}
