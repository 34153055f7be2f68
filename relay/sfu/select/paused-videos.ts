/**
 * Which of the videos a subscriber shows are paused, and why, for the `paused` message
 * (transport/protocol.ts): without it a paused tile just freezes on its last frame.
 *
 * The layer selector already decides a layer or a pause code for every video a subscriber receives
 * (layer-policy.ts, layer-selector.ts); this reads those decisions after each update and names the
 * subscribers whose list of paused videos changed since they were last told. Reasons, by whose side
 * the trouble is on:
 * - `capacity`: the relay is over capacity (capacity.ts) and forwards this subscriber fewer videos
 *   (`NO_CAPACITY`, the smallest tiles first);
 * - `bandwidth`: the subscriber's bandwidth estimate leaves no room for even the lowest layer
 *   (`NO_BANDWIDTH`);
 * - `publisher`: the relay receives none of the video's layers (`NO_LAYER`: each was silent for a
 *   whole second, e.g. the publisher's uplink or encoder gave up).
 * A tile drawn at size 0 is not on screen (`HIDDEN`): nothing to tell. A video whose pause ended stays
 * listed, with its reason, until its first keyframe is forwarded again: the picture moves then, not
 * when the decision changes. A video that never was paused is not listed while it starts.
 * Pure: no clock, no I/O; the caller ticks it after `Subscriptions.update`.
 */
import { NO_BANDWIDTH, NO_CAPACITY, NO_LAYER } from './layer-policy.ts';
import type { Subscriptions, VideoKind } from './subscriptions.ts';

export type PausedReason = 'capacity' | 'bandwidth' | 'publisher';
export type PausedVideo = { readonly publisherId: string; readonly kind: VideoKind; readonly reason: PausedReason };
/** A subscriber to tell: the full list of its paused videos now (empty: none any more). */
export type PausedChange = { readonly subscriberId: string; readonly videos: readonly PausedVideo[] };

const KINDS: readonly VideoKind[] = ['video', 'screen'];

/** What a subscriber is told of one video it receives, given what it was told before (undefined: not paused). */
export function reasonToTell(sub: { readonly target: number; readonly current: number }, told: PausedReason | undefined): PausedReason | undefined {
  switch (sub.target) {
    case NO_CAPACITY:
      return 'capacity';
    case NO_BANDWIDTH:
      return 'bandwidth';
    case NO_LAYER:
      return 'publisher';
  }
  // Hidden (not on screen), or resumed: still paused on screen until a keyframe is forwarded.
  return sub.target >= 0 && sub.current < 0 ? told : undefined;
}

type Told = Record<VideoKind, Map<string, PausedReason>>;

export class PausedVideos {
  /** subscriber → what it was last told, by kind and publisher. */
  readonly #told = new Map<string, Told>();

  /** The subscribers whose paused videos differ from what they were last told, with their new lists; remembered as told. */
  update(subscriptions: Subscriptions, out: PausedChange[] = []): PausedChange[] {
    for (const id of subscriptions.subscriberIds()) {
      const told = this.#told.get(id);
      if (!this.#changed(subscriptions, id, told)) continue;
      const next: Told = { video: new Map(), screen: new Map() };
      const videos: PausedVideo[] = [];
      for (const kind of KINDS) {
        for (const [publisherId, sub] of subscriptions.videos(id, kind)) {
          const reason = reasonToTell(sub, told?.[kind].get(publisherId));
          if (reason === undefined) continue;
          next[kind].set(publisherId, reason);
          videos.push({ publisherId, kind, reason });
        }
      }
      this.#told.set(id, next);
      out.push({ subscriberId: id, videos });
    }
    return out;
  }

  /** The subscriber left, or was never told (it will be told its whole list again at the next update). */
  forget(subscriberId: string): void {
    this.#told.delete(subscriberId);
  }

  /** Whether the subscriber's list differs from what it was told; allocates nothing. */
  #changed(subscriptions: Subscriptions, id: string, told: Told | undefined): boolean {
    let paused = 0;
    for (const kind of KINDS) {
      for (const [publisherId, sub] of subscriptions.videos(id, kind)) {
        const before = told?.[kind].get(publisherId);
        const reason = reasonToTell(sub, before);
        if (reason !== before) return true;
        if (reason !== undefined) paused++;
      }
    }
    // Told of videos it no longer receives (never told: an empty list needs no message).
    return told !== undefined && paused !== told.video.size + told.screen.size;
  }
}
