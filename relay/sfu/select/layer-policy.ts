/**
 * The layer policy: a pure function from what the subscriber shows and what it can receive to one
 * simulcast layer (or a pause) per video. Time and hysteresis are layer-selector.ts's business.
 *
 * `CoverThenFitPolicy`, the default:
 * 1. per video, the smallest active layer that covers the tile (compared long side to long side,
 *    short to short, so a rotated phone is fine; 15 % upscaling tolerated, as a 640×360 layer in a
 *    700×394 tile is not visibly worse than 1280×720 at three times the bitrate); when no layer
 *    covers it, the largest active one; no active layer: paused (`NO_LAYER`);
 * 2. over budget: first every visible video at its lowest active layer, largest tiles first,
 *    pausing (`NO_BANDWIDTH`) those that do not fit; then what is left lifts the largest tiles
 *    towards their layer from step 1, largest first. Seeing every face beats one sharp face among
 *    frozen ones; among the rest, the large view gets quality first. The client draws the active
 *    speaker and screen shares in the largest tiles, so tile area carries those priorities.
 * Layer costs are the source's measured bitrates when known, else the ladder's nominal ones.
 */

export interface Layer {
  readonly rid: string;
  readonly width: number;
  readonly height: number;
  /** Nominal bitrate, bits/s, used until a measured one is known. */
  readonly bitrate: number;
}

export const SIMULCAST_LADDER: readonly Layer[] = [
  { rid: 'q', width: 320, height: 180, bitrate: 150_000 },
  { rid: 'h', width: 640, height: 360, bitrate: 500_000 },
  { rid: 'f', width: 1280, height: 720, bitrate: 1_500_000 },
];

/** Pause codes in place of a layer index. */
export const HIDDEN = -1;
export const NO_BANDWIDTH = -2;
export const NO_LAYER = -3;
/** Paused because the relay as a whole is over capacity (capacity.ts). */
export const NO_CAPACITY = -4;
export type PauseReason = 'hidden' | 'bandwidth' | 'no-layer' | 'capacity';

export function pauseReason(code: number): PauseReason | undefined {
  return code === HIDDEN ? 'hidden' : code === NO_BANDWIDTH ? 'bandwidth' : code === NO_LAYER ? 'no-layer' : code === NO_CAPACITY ? 'capacity' : undefined;
}

/** What a policy needs to know of a published video. */
export interface LayerSource {
  readonly ladder: readonly Layer[];
  /** Whether the publisher currently sends each layer. */
  readonly active: readonly boolean[];
  /** Each layer's bitrate, bits/s: measured, or nominal. */
  readonly bitrate: readonly number[];
}

/** What a policy sees of one subscription. */
export interface TileDemand {
  /** Drawn size in device pixels; 0 = not visible. */
  readonly width: number;
  readonly height: number;
  readonly source: LayerSource;
  /** The highest layer the policy may choose; below 0, none (stay paused for bandwidth). */
  readonly maxLayer: number;
}

export interface LayerPolicy {
  /** Writes a layer index or a pause code per demand into `out`, keeping the total within `budgetBps`. */
  allocate(demands: readonly TileDemand[], budgetBps: number, out: number[]): void;
}

const UPSCALE_TOLERANCE = 1.15;

/** The default policy: cover the tile, then fit the budget, largest tiles first. */
export class CoverThenFitPolicy implements LayerPolicy {
  readonly #order: number[] = [];
  readonly #area: number[] = [];

  allocate(demands: readonly TileDemand[], budgetBps: number, out: number[]): void {
    out.length = demands.length;
    const order = this.#order;
    order.length = 0;
    for (let i = 0; i < demands.length; i++) {
      const choice = coveringLayer(demands[i]!);
      out[i] = choice;
      if (choice >= 0) order.push(i);
    }
    if (budgetBps === Infinity) return;
    const area = this.#area;
    area.length = demands.length;
    for (let i = 0; i < demands.length; i++) area[i] = demands[i]!.width * demands[i]!.height;
    order.sort((a, b) => area[b]! - area[a]! || a - b);
    let remaining = budgetBps;
    // First everyone's lowest active layer, largest tiles first; then upgrades in the same order.
    for (const i of order) {
      const source = demands[i]!.source;
      const floor = source.active.indexOf(true);
      const cost = source.bitrate[floor]!;
      if (cost <= remaining) remaining -= cost;
      else out[i] = NO_BANDWIDTH;
    }
    for (const i of order) {
      const wanted = out[i]!;
      if (wanted < 0) continue;
      const source = demands[i]!.source;
      const floor = source.active.indexOf(true);
      const floorCost = source.bitrate[floor]!;
      let chosen = floor;
      for (let layer = wanted; layer > floor; layer--) {
        if (source.active[layer] && source.bitrate[layer]! - floorCost <= remaining) {
          chosen = layer;
          break;
        }
      }
      remaining -= source.bitrate[chosen]! - floorCost;
      out[i] = chosen;
    }
  }
}

/** Whether a layer is big enough for a tile (long side to long side, short to short, with the tolerance). */
function covers(layer: Layer, width: number, height: number): boolean {
  return (
    Math.max(layer.width, layer.height) * UPSCALE_TOLERANCE >= Math.max(width, height) &&
    Math.min(layer.width, layer.height) * UPSCALE_TOLERANCE >= Math.min(width, height)
  );
}

/** The smallest active layer ≤ maxLayer covering the tile, else the largest active one ≤ maxLayer. */
function coveringLayer(demand: TileDemand): number {
  if (!(demand.width > 0 && demand.height > 0)) return HIDDEN;
  const { ladder, active } = demand.source;
  let best = -1;
  let anyActive = false;
  for (let layer = 0; layer < ladder.length; layer++) {
    if (!active[layer]) continue;
    anyActive = true;
    if (layer > demand.maxLayer) break;
    best = layer;
    if (covers(ladder[layer]!, demand.width, demand.height)) break;
  }
  if (!anyActive) return NO_LAYER;
  return best >= 0 ? best : NO_BANDWIDTH;
}

/** The layer of `ladder` a tile needs were every layer sent: the smallest covering it, else the top; HIDDEN for no tile. */
export function neededLayer(ladder: readonly Layer[], width: number, height: number): number {
  if (!(width > 0 && height > 0)) return HIDDEN;
  for (let layer = 0; layer < ladder.length; layer++) if (covers(ladder[layer]!, width, height)) return layer;
  return ladder.length - 1;
}

export const defaultLayerPolicy: LayerPolicy = new CoverThenFitPolicy();
