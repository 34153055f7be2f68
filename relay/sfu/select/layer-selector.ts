/**
 * Simulcast layer selection over time: which of a publisher's layers each subscriber receives.
 *
 * A camera publishes the same video at three sizes (the ladder: data, `SIMULCAST_LADDER` by
 * default). For every video it shows, a subscriber reports the size it is drawn at, in device
 * pixels (CSS size × devicePixelRatio; 0 = not visible); its bandwidth estimate is shared by all
 * the videos it receives. The split follows LiveKit's: a pure `LayerPolicy` (layer-policy.ts)
 * decides from a snapshot; `LayerSelector` adds time and the switch mechanics:
 * - downgrades are immediate; an upgrade needs the budget to have allowed it (at 90 % of the
 *   estimate) for 2.5 s, which is the policy run over the lowest estimate of the last 2.5 s. What
 *   runs now is kept while it fits the latest estimate. A tile that grows under a steady estimate
 *   upgrades at once, and a swinging estimate cannot make a layer flap faster than every 2.5 s;
 * - until the first estimate, bandwidth is unlimited (a transport without an estimator still works);
 * - a switch completes only at a keyframe of the target layer (a decoder cannot go on from another
 *   layer's delta frames): until then the current layer keeps flowing and `needKeyframe` tells the
 *   caller to ask for one (keyframe-requester.ts throttles). Pausing is immediate. Only spatial
 *   layers are chosen; temporal layers pass as they come;
 * - the relay's capacity limit (capacity.ts), shared by every selector, caps the layer and the
 *   number of videos: beyond `maxVideos`, the smallest tiles are paused (`NO_CAPACITY`), as is a
 *   video whose lowest sent layer is above `maxLayer` (the policy alone would blame the bandwidth).
 */
import { UNLIMITED, type CapacityLimit } from './capacity.ts';
import {
  HIDDEN,
  NO_BANDWIDTH,
  NO_CAPACITY,
  NO_LAYER,
  SIMULCAST_LADDER,
  defaultLayerPolicy,
  type Layer,
  type LayerPolicy,
  type LayerSource,
  type TileDemand,
} from './layer-policy.ts';

/** A ladder that is empty or not in growing resolution: a programming error, not a packet problem. */
export class LadderError extends Error {
  override name = 'LadderError';
}

/** A published video as the selector sees it; one per publication, shared by all its subscribers. */
export class VideoSource implements LayerSource {
  readonly active: boolean[];
  readonly bitrate: number[];
  readonly subscriptions = new Set<VideoSubscription>();

  constructor(readonly ladder: readonly Layer[] = SIMULCAST_LADDER) {
    if (ladder.length === 0) throw new LadderError('a ladder needs at least one layer');
    for (let i = 1; i < ladder.length; i++) {
      if (ladder[i]!.width * ladder[i]!.height <= ladder[i - 1]!.width * ladder[i - 1]!.height) {
        throw new LadderError('ladder layers must grow in resolution');
      }
    }
    this.active = ladder.map(() => true);
    this.bitrate = ladder.map((layer) => layer.bitrate);
  }

  /** The publisher stopped (or resumed) sending a layer. */
  setActive(layer: number, active: boolean): void {
    if (layer >= 0 && layer < this.active.length) this.active[layer] = active;
  }

  /** A measured bitrate for a layer; 0 or less goes back to the nominal one. */
  setBitrate(layer: number, bps: number): void {
    const nominal = this.ladder[layer];
    if (nominal) this.bitrate[layer] = bps > 0 ? bps : nominal.bitrate;
  }

  /** A keyframe of `layer` arrived: subscribers waiting for it switch. Returns how many did. */
  onKeyframe(layer: number): number {
    let switched = 0;
    for (const sub of this.subscriptions) if (sub.onKeyframe(layer)) switched++;
    return switched;
  }
}

/** One subscriber's view of one video: what it should get and what it gets. */
export class VideoSubscription implements TileDemand {
  width = 0;
  height = 0;
  maxLayer = Infinity;
  /** The layer it should get, or a pause code. */
  target = HIDDEN;
  /** The layer being forwarded now, -1 while nothing is. */
  current = -1;

  constructor(readonly source: VideoSource) {}

  /** A switch is waiting for a keyframe of `target`. */
  get needKeyframe(): boolean {
    return this.target >= 0 && this.current !== this.target;
  }

  setTarget(target: number): void {
    this.target = target;
    if (target < 0) this.current = -1;
  }

  onKeyframe(layer: number): boolean {
    if (layer !== this.target || layer === this.current) return false;
    this.current = layer;
    return true;
  }
}

export interface LayerSelectorParams {
  /** How long the budget must have allowed an upgrade, ms. */
  upgradeHoldMs: number;
  /** The share of the estimate that upgrades may use. */
  upgradeFraction: number;
  /** The relay's capacity limit, read at every update (one object shared by all selectors). */
  capacity: Readonly<CapacityLimit>;
}

export const DEFAULT_LAYER_SELECTOR: LayerSelectorParams = { upgradeHoldMs: 2500, upgradeFraction: 0.9, capacity: UNLIMITED };

/** One subscriber's layer choices across all the videos it receives. */
export class LayerSelector {
  readonly params: LayerSelectorParams;
  readonly #subscriptions: VideoSubscription[] = [];
  /** Bandwidth estimates, oldest first; the first one is in effect at the window's start. */
  readonly #estimates: { at: number; bps: number }[] = [];
  readonly #safe: number[] = [];
  readonly #final: number[] = [];
  readonly #byArea: number[] = [];

  constructor(
    readonly policy: LayerPolicy = defaultLayerPolicy,
    params: Partial<LayerSelectorParams> = {},
  ) {
    this.params = { ...DEFAULT_LAYER_SELECTOR, ...params };
  }

  get subscriptions(): readonly VideoSubscription[] {
    return this.#subscriptions;
  }

  add(source: VideoSource, width = 0, height = 0): VideoSubscription {
    const sub = new VideoSubscription(source);
    sub.width = width;
    sub.height = height;
    this.#subscriptions.push(sub);
    source.subscriptions.add(sub);
    return sub;
  }

  remove(sub: VideoSubscription): void {
    const i = this.#subscriptions.indexOf(sub);
    if (i >= 0) this.#subscriptions.splice(i, 1);
    sub.source.subscriptions.delete(sub);
    sub.setTarget(HIDDEN);
  }

  resize(sub: VideoSubscription, width: number, height: number): void {
    sub.width = width;
    sub.height = height;
  }

  /** The subscriber's estimated available bandwidth for video, bits/s. Until the first one: unlimited. */
  setBandwidth(bps: number, now: number): void {
    this.#estimates.push({ at: now, bps: bps > 0 ? bps : 0 });
    this.#forgetBefore(now - this.params.upgradeHoldMs);
  }

  /** Re-decides every target (call on a tick, and after tile or bandwidth changes). */
  update(now: number): void {
    const subs = this.#subscriptions;
    const estimates = this.#estimates;
    this.#forgetBefore(now - this.params.upgradeHoldMs);
    let lowest = Infinity;
    for (const e of estimates) if (e.bps < lowest) lowest = e.bps;
    const latest = estimates.length > 0 ? estimates[estimates.length - 1]!.bps : Infinity;
    // What is safe to upgrade to, then: keep what runs now if it still fits, take upgrades only up to the safe choice.
    const { maxLayer, maxVideos } = this.params.capacity;
    for (const sub of subs) sub.maxLayer = maxLayer;
    this.policy.allocate(subs, lowest * this.params.upgradeFraction, this.#safe);
    for (let i = 0; i < subs.length; i++) subs[i]!.maxLayer = Math.min(maxLayer, Math.max(subs[i]!.target, this.#safe[i]!));
    this.policy.allocate(subs, latest, this.#final);
    // No layer within the capacity limit is sent (the publisher's lowest is above it): that pause is the relay's doing, not the estimate's.
    for (let i = 0; i < subs.length; i++) if (this.#final[i] === NO_BANDWIDTH && subs[i]!.source.active.indexOf(true) > maxLayer) this.#final[i] = NO_CAPACITY;
    if (maxVideos < subs.length) this.#keepLargest(maxVideos);
    for (let i = 0; i < subs.length; i++) subs[i]!.setTarget(this.#final[i]!);
  }

  /**
   * Pauses every video beyond the `max` largest tiles (ties: the earlier subscription). A video with
   * no layer sent (`NO_LAYER`) competes too: its publisher may have paused it because nobody needed it
   * (publisher-layers.ts), so a large tile of it keeps its place and asks it back, and one ranked
   * beyond `max` is a capacity pause that asks for nothing.
   */
  #keepLargest(max: number): void {
    const subs = this.#subscriptions;
    const order = this.#byArea;
    order.length = 0;
    for (let i = 0; i < subs.length; i++) if (this.#final[i]! >= 0 || this.#final[i] === NO_LAYER) order.push(i);
    if (order.length <= max) return;
    order.sort((a, b) => subs[b]!.width * subs[b]!.height - subs[a]!.width * subs[a]!.height || a - b);
    for (let k = max; k < order.length; k++) this.#final[order[k]!] = NO_CAPACITY;
  }

  /** Drops estimates no longer in effect at `windowStart` (the one in effect then is kept). */
  #forgetBefore(windowStart: number): void {
    const estimates = this.#estimates;
    while (estimates.length > 1 && estimates[1]!.at <= windowStart) estimates.shift();
  }
}
