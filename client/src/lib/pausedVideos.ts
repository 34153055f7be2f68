/**
 * The relay's `paused` message (relay/sfu/transport/protocol.ts) as tile state: which remote videos the
 * relay is not forwarding to us although we show them, why, and what the tile says about it. The
 * relay lists a video until its first keyframe is forwarded again, so the overlay lifts as frames flow.
 */
import type { PausedMessage, PausedReason, VideoSource } from '../../../relay/sfu/transport/protocol.ts';
import type { MessageKey } from '../i18n/en.ts';
import { tileKey } from './relaySlots.ts';

export type { PausedReason };
/** tileKey(sessionId, source) → why the relay pauses that video. */
export type PausedVideos = ReadonlyMap<string, PausedReason>;
export const NO_PAUSES: PausedVideos = new Map();

/** The message as a map by tile key; it always lists everything paused now, so it replaces the last one. */
export function pausedVideos(message: Pick<PausedMessage, 'videos'>): PausedVideos {
  if (message.videos.length === 0) return NO_PAUSES;
  return new Map(message.videos.map((v) => [tileKey(v.sessionId, v.source), v.reason]));
}

/**
 * Why a tile's video is paused, or null. Only a tile that shows the relay's stream of that video says
 * so: not one showing a mesh link's stream (in a mesh, or mid-switch), nor an avatar (camera off).
 */
export function tilePause(paused: PausedVideos, sessionId: string, source: VideoSource, showsRelayVideo: boolean): PausedReason | null {
  return showsRelayVideo ? (paused.get(tileKey(sessionId, source)) ?? null) : null;
}

/** The overlay's short text and its longer explanation (tooltip), per reason. */
export const PAUSE_TEXT: Record<PausedReason, { short: MessageKey; detail: MessageKey }> = {
  capacity: { short: 'pausedCapacity', detail: 'pausedCapacityDetail' },
  bandwidth: { short: 'pausedBandwidth', detail: 'pausedBandwidthDetail' },
  publisher: { short: 'pausedPublisher', detail: 'pausedPublisherDetail' },
};
