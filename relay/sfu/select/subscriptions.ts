/**
 * Last-N: what each subscriber receives, and the one per-packet question `shouldForward`.
 *
 * - Video: a subscriber receives only the videos it shows. The client reports its visible tiles
 *   (publisher, camera or screen, drawn size in device pixels) in priority order; the first 25
 *   cameras and 2 screen shares are kept, its own are ignored. Each shown video gets the layer its
 *   tile needs within the subscriber's bandwidth (layer-selector.ts), and keyframe requests for
 *   starts and switches go through one `KeyframeRequester`, so many subscribers cost one PLI.
 *   Tiles shown before the publisher publishes are remembered and attached when it does.
 * - Audio: every subscriber receives the loudest speakers (audio-level.ts), never its own
 *   microphone. A speaker among the loudest thus hears the other N-1; giving it the next loudest
 *   instead would take a second selection tier with its own hysteresis, and is not done.
 * - The video budget is the subscriber's estimate minus a reserve for that audio (150 kbit/s).
 *
 * `shouldForward` runs per packet per subscriber: two map look-ups, no allocation (the decisions are
 * shared frozen objects). Call `onKeyframe` before `shouldForward` for a packet that starts a
 * keyframe, so the subscribers switching onto that layer take this very packet.
 */
import { LoudestSpeakers } from './audio-level.ts';
import { KeyframeRequester } from './keyframe-requester.ts';
import { NO_CAPACITY, SIMULCAST_LADDER, neededLayer, type Layer, type LayerPolicy } from './layer-policy.ts';
import { LayerSelector, VideoSource, type LayerSelectorParams, type VideoSubscription } from './layer-selector.ts';

export type VideoKind = 'video' | 'screen';
export type MediaKind = 'audio' | VideoKind;

export interface ShownTile {
  readonly publisherId: string;
  readonly kind: VideoKind;
  /** Drawn size in device pixels (CSS × devicePixelRatio); 0 = in the layout but not visible. */
  readonly width: number;
  readonly height: number;
}

export type DropReason = 'unknown-subscriber' | 'own' | 'not-loudest' | 'not-shown' | 'paused' | 'awaiting-keyframe' | 'other-layer';
export type ForwardDecision = { readonly forward: true } | { readonly forward: false; readonly reason: DropReason };

export interface KeyframeRequest {
  readonly publisherId: string;
  readonly kind: VideoKind;
  readonly layer: number;
}

const FORWARD: ForwardDecision = Object.freeze({ forward: true });
const drop = (reason: DropReason): ForwardDecision => Object.freeze({ forward: false, reason });
const DROP_UNKNOWN = drop('unknown-subscriber');
const DROP_OWN = drop('own');
const DROP_NOT_LOUDEST = drop('not-loudest');
const DROP_NOT_SHOWN = drop('not-shown');
const DROP_PAUSED = drop('paused');
const DROP_AWAITING = drop('awaiting-keyframe');
const DROP_OTHER_LAYER = drop('other-layer');
const NO_VIDEOS: ReadonlyMap<string, VideoSubscription> = new Map();

export interface SubscriptionsOptions {
  speakers?: LoudestSpeakers;
  keyframes?: KeyframeRequester;
  policy?: LayerPolicy;
  selector?: Partial<LayerSelectorParams>;
  maxVideoTiles?: number;
  maxScreenTiles?: number;
  audioReserveBps?: number;
}

interface Subscriber {
  readonly id: string;
  readonly selector: LayerSelector;
  /** What it shows, by publisher, whether published yet or not. */
  readonly shown: Record<VideoKind, Map<string, ShownTile>>;
  /** What it receives, by publisher. */
  readonly videos: Record<VideoKind, Map<string, VideoSubscription>>;
}

/** A publication's names for the keyframe requester, made once. */
interface SourceInfo {
  readonly streamIds: readonly string[];
  readonly requests: readonly KeyframeRequest[];
}

export class Subscriptions {
  readonly speakers: LoudestSpeakers;
  readonly keyframes: KeyframeRequester;
  readonly #policy: LayerPolicy | undefined;
  readonly #selectorParams: Partial<LayerSelectorParams>;
  readonly #maxTiles: Record<VideoKind, number>;
  readonly #audioReserveBps: number;
  readonly #subscribers = new Map<string, Subscriber>();
  readonly #sources: Record<VideoKind, Map<string, VideoSource>> = { video: new Map(), screen: new Map() };
  readonly #info = new Map<VideoSource, SourceInfo>();
  readonly #byStreamId = new Map<string, KeyframeRequest>();
  readonly #requests: KeyframeRequest[] = [];
  readonly #due: string[] = [];

  constructor(options: SubscriptionsOptions = {}) {
    this.speakers = options.speakers ?? new LoudestSpeakers({}, options.selector?.capacity);
    this.keyframes = options.keyframes ?? new KeyframeRequester();
    this.#policy = options.policy;
    this.#selectorParams = options.selector ?? {};
    this.#maxTiles = { video: options.maxVideoTiles ?? 25, screen: options.maxScreenTiles ?? 2 };
    this.#audioReserveBps = options.audioReserveBps ?? 150_000;
  }

  addSubscriber(id: string): void {
    if (this.#subscribers.has(id)) return;
    this.#subscribers.set(id, {
      id,
      selector: new LayerSelector(this.#policy, this.#selectorParams),
      shown: { video: new Map(), screen: new Map() },
      videos: { video: new Map(), screen: new Map() },
    });
  }

  removeSubscriber(id: string): void {
    const s = this.#subscribers.get(id);
    if (!s) return;
    for (const sub of [...s.selector.subscriptions]) s.selector.remove(sub);
    this.#subscribers.delete(id);
  }

  /** A participant left: it neither receives nor sends anything any more. */
  removeParticipant(id: string): void {
    this.removeSubscriber(id);
    this.unpublish(id, 'video');
    this.unpublish(id, 'screen');
    this.speakers.remove(id);
  }

  /** A video publication (replacing one of the same kind); subscribers already showing it get it. */
  publish(publisherId: string, kind: VideoKind, ladder: readonly Layer[] = SIMULCAST_LADDER): VideoSource {
    this.unpublish(publisherId, kind);
    const source = new VideoSource(ladder);
    const streamIds = ladder.map((_, layer) => `${kind}:${layer}:${publisherId}`);
    const requests = ladder.map((_, layer) => Object.freeze({ publisherId, kind, layer }));
    streamIds.forEach((id, layer) => this.#byStreamId.set(id, requests[layer]!));
    this.#info.set(source, { streamIds, requests });
    this.#sources[kind].set(publisherId, source);
    for (const s of this.#subscribers.values()) {
      const tile = s.shown[kind].get(publisherId);
      if (tile) s.videos[kind].set(publisherId, s.selector.add(source, tile.width, tile.height));
    }
    return source;
  }

  unpublish(publisherId: string, kind: VideoKind): void {
    const source = this.#sources[kind].get(publisherId);
    if (!source) return;
    for (const s of this.#subscribers.values()) {
      const sub = s.videos[kind].get(publisherId);
      if (sub) s.selector.remove(sub);
      s.videos[kind].delete(publisherId);
    }
    for (const id of this.#info.get(source)?.streamIds ?? []) {
      this.keyframes.remove(id);
      this.#byStreamId.delete(id);
    }
    this.#info.delete(source);
    this.#sources[kind].delete(publisherId);
  }

  source(publisherId: string, kind: VideoKind): VideoSource | undefined {
    return this.#sources[kind].get(publisherId);
  }

  /** What `subscriberId` receives of a video, for the forwarder and diagnostics. */
  video(subscriberId: string, publisherId: string, kind: VideoKind): VideoSubscription | undefined {
    return this.#subscribers.get(subscriberId)?.videos[kind].get(publisherId);
  }

  /** Every subscriber's id. */
  subscriberIds(): IterableIterator<string> {
    return this.#subscribers.keys();
  }

  /** What `subscriberId` receives of each publisher's `kind` of video, by publisher (empty for an unknown subscriber). */
  videos(subscriberId: string, kind: VideoKind): ReadonlyMap<string, VideoSubscription> {
    return this.#subscribers.get(subscriberId)?.videos[kind] ?? NO_VIDEOS;
  }

  /** The subscriber's visible tiles, in priority order (replaces the previous report). */
  show(subscriberId: string, tiles: readonly ShownTile[], now: number): readonly KeyframeRequest[] {
    this.#requests.length = 0;
    const s = this.#subscribers.get(subscriberId);
    if (!s) return this.#requests;
    for (const kind of ['video', 'screen'] as const) {
      const shown = s.shown[kind];
      shown.clear();
      for (const tile of tiles) {
        if (tile.kind !== kind || tile.publisherId === subscriberId || shown.has(tile.publisherId)) continue;
        if (shown.size >= this.#maxTiles[kind]) break;
        shown.set(tile.publisherId, tile);
      }
      const videos = s.videos[kind];
      for (const [publisherId, sub] of videos) {
        if (shown.has(publisherId)) continue;
        s.selector.remove(sub);
        videos.delete(publisherId);
      }
      for (const [publisherId, tile] of shown) {
        const existing = videos.get(publisherId);
        if (existing) s.selector.resize(existing, tile.width, tile.height);
        else {
          const source = this.#sources[kind].get(publisherId);
          if (source) videos.set(publisherId, s.selector.add(source, tile.width, tile.height));
        }
      }
    }
    this.#select(s, now);
    return this.#requests;
  }

  /** The subscriber's estimated available bandwidth, bits/s (e.g. from transport-wide congestion control). */
  setBandwidth(subscriberId: string, bps: number, now: number): void {
    this.#subscribers.get(subscriberId)?.selector.setBandwidth(bps - this.#audioReserveBps, now);
  }

  /**
   * What the subscriber's shown videos cost at their lowest sent layers, plus the audio reserve,
   * bits/s: the least a bandwidth estimate must allow for no video to pause.
   */
  floorBps(subscriberId: string): number {
    const s = this.#subscribers.get(subscriberId);
    if (!s) return 0;
    let bps = this.#audioReserveBps;
    for (const sub of s.selector.subscriptions) {
      if (!(sub.width > 0 && sub.height > 0)) continue;
      const floor = sub.source.active.indexOf(true);
      if (floor >= 0) bps += sub.source.bitrate[floor]!;
    }
    return bps;
  }

  /**
   * The highest layer any subscriber needs of each video source (neededLayer, within the capacity
   * limit; -1 when nobody shows it), for publisher-layers.ts. Sources nobody shows, or shows only
   * paused for capacity (beyond its number of videos), are left out.
   */
  neededLayers(out: Map<VideoSource, number>): Map<VideoSource, number> {
    out.clear();
    for (const s of this.#subscribers.values()) {
      const cap = s.selector.params.capacity.maxLayer;
      for (const sub of s.selector.subscriptions) {
        // Paused for capacity: not forwarded, so not needed (the publisher may stop sending it).
        if (sub.target === NO_CAPACITY) continue;
        const layer = Math.min(cap, neededLayer(sub.source.ladder, sub.width, sub.height));
        if (layer > (out.get(sub.source) ?? -1)) out.set(sub.source, layer);
      }
    }
    return out;
  }

  /** The periodic decision (every 100–250 ms): layers for everyone, and the keyframe requests to send now. */
  update(now: number): readonly KeyframeRequest[] {
    this.#requests.length = 0;
    for (const s of this.#subscribers.values()) this.#select(s, now);
    this.#due.length = 0;
    for (const id of this.keyframes.due(now, this.#due)) {
      const request = this.#byStreamId.get(id);
      if (request) this.#requests.push(request);
    }
    return this.#requests;
  }

  /**
   * The subscriber lost pictures of a video it receives (its PLI/FIR): a keyframe of the layer it gets
   * (or is switching to), through the same throttle. The request to send now, if any.
   */
  requestKeyframe(subscriberId: string, publisherId: string, kind: VideoKind, now: number): KeyframeRequest | undefined {
    const sub = this.#subscribers.get(subscriberId)?.videos[kind].get(publisherId);
    const layer = sub ? (sub.needKeyframe ? sub.target : sub.current) : -1;
    const info = sub && this.#info.get(sub.source);
    const streamId = info?.streamIds[layer];
    if (!info || streamId === undefined || this.keyframes.request(streamId, now) !== 'send') return undefined;
    return info.requests[layer];
  }

  /** A packet starting a keyframe of a layer arrived: switches complete. Returns how many did. */
  onKeyframe(publisherId: string, kind: VideoKind, layer: number, now: number): number {
    const source = this.#sources[kind].get(publisherId);
    if (!source) return 0;
    const streamId = this.#info.get(source)?.streamIds[layer];
    if (streamId !== undefined) this.keyframes.onKeyframe(streamId, now);
    return source.onKeyframe(layer);
  }

  shouldForward(subscriberId: string, publisherId: string, kind: MediaKind, layer: number, now: number): ForwardDecision {
    const s = this.#subscribers.get(subscriberId);
    if (!s) return DROP_UNKNOWN;
    if (publisherId === subscriberId) return DROP_OWN;
    if (kind === 'audio') return this.speakers.isSelected(publisherId, now) ? FORWARD : DROP_NOT_LOUDEST;
    const sub = s.videos[kind].get(publisherId);
    if (!sub) return DROP_NOT_SHOWN;
    if (sub.current === layer) return FORWARD;
    if (sub.current >= 0) return DROP_OTHER_LAYER;
    return sub.target < 0 ? DROP_PAUSED : DROP_AWAITING;
  }

  #select(s: Subscriber, now: number): void {
    s.selector.update(now);
    for (const sub of s.selector.subscriptions) {
      if (!sub.needKeyframe) continue;
      const info = this.#info.get(sub.source);
      const streamId = info?.streamIds[sub.target];
      if (!info || streamId === undefined) continue;
      if (this.keyframes.request(streamId, now) === 'send') this.#requests.push(info.requests[sub.target]!);
    }
  }
}
