/**
 * Camera capture quality, and how much of it each mesh link gets.
 *
 * The camera is captured once, at the chosen quality (720p by default). The relay takes it as up to
 * three simulcast layers (relaySlots.ts: simulcastLayers), so each viewer gets the layer its tile
 * needs. A mesh has no such choice: the browser encodes the camera once per link, and every link
 * costs the sender's CPU and uplink. So the more links, the smaller each one's encoding: 720p to a
 * single peer, at most 360p to two or three, as Jitsi's and LiveKit's peer-to-peer modes do.
 */
import { editEncodings, type EncodingSender } from './senderEncodings.ts';

export type VideoQuality = 'high' | 'standard' | 'low';

export const VIDEO_QUALITIES: readonly VideoQuality[] = ['high', 'standard', 'low'];
export const DEFAULT_VIDEO_QUALITY: VideoQuality = 'high';

type Capture = { width: number; height: number; frameRate: number };

const CAPTURE: Record<VideoQuality, Capture> = {
  high: { width: 1280, height: 720, frameRate: 30 },
  standard: { width: 640, height: 360, frameRate: 24 },
  low: { width: 320, height: 180, frameRate: 15 },
};

export function parseVideoQuality(raw: string | null | undefined): VideoQuality | null {
  return VIDEO_QUALITIES.find((q) => q === raw) ?? null;
}

/** `?video=low|standard|high` in the page address wins over the remembered choice (e.g. on a poor link). */
export function videoQualityFrom(search: string, remembered: string | null): VideoQuality {
  return parseVideoQuality(new URLSearchParams(search).get('video')) ?? parseVideoQuality(remembered) ?? DEFAULT_VIDEO_QUALITY;
}

/**
 * getUserMedia constraints: `ideal`, so a camera that cannot do the size still opens at its nearest,
 * and a frame-rate cap, so a 60 fps camera does not double every encoder's work.
 */
export function captureConstraints(quality: VideoQuality): MediaTrackConstraints {
  const c = CAPTURE[quality];
  return { width: { ideal: c.width }, height: { ideal: c.height }, frameRate: { ideal: c.frameRate, max: c.frameRate } };
}

export type MeshEncoding = { scaleResolutionDownBy: number; maxBitrate: number; maxFramerate: number };

/** Tallest picture and bitrate one mesh link gets, by how many links the camera feeds. */
function meshBudget(links: number): { height: number; bitrate: number; frameRate: number } {
  if (links <= 1) return { height: 720, bitrate: 1_500_000, frameRate: 30 };
  if (links === 2) return { height: 360, bitrate: 700_000, frameRate: 30 };
  return { height: 360, bitrate: 500_000, frameRate: 24 };
}

/**
 * The encoding of our camera on each mesh link, given the capture height and the number of links:
 * scaled down (never up) to the links' budget.
 */
export function meshEncoding(captureHeight: number, links: number): MeshEncoding {
  const budget = meshBudget(links);
  const scale = captureHeight > budget.height ? captureHeight / budget.height : 1;
  return { scaleResolutionDownBy: scale, maxBitrate: budget.bitrate, maxFramerate: budget.frameRate };
}

/**
 * Applies `encoding` to a sender's single encoding, leaving `active` as it is (a link whose receiver
 * shows us from the relay keeps its camera inactive). Resolves false when the sender refused.
 */
export function applyMeshEncoding(sender: EncodingSender, encoding: MeshEncoding): Promise<boolean> {
  return editEncodings(sender, ([first]) => {
    if (first!.scaleResolutionDownBy === encoding.scaleResolutionDownBy && first!.maxBitrate === encoding.maxBitrate && first!.maxFramerate === encoding.maxFramerate) return false;
    Object.assign(first!, encoding);
    return true;
  });
}

/**
 * applyMeshEncoding() for many senders, each touched only when its encoding should change: reading a
 * sender's parameters is a synchronous getParameters() that waits for the WebRTC threads, and on a
 * starved page (five browsers on two cores, mid switch) one call took tens of ms; re-applied to 4
 * links every second, 240 ms of main thread in 6 s. `forget` a sender after a renegotiation, which
 * may hand it new parameters.
 */
export class MeshEncodings {
  readonly #applied = new WeakMap<EncodingSender, string>();

  /** Resolves false when the sender refused (it is tried again next time). */
  async apply(sender: EncodingSender, encoding: MeshEncoding): Promise<boolean> {
    const key = `${encoding.scaleResolutionDownBy}/${encoding.maxBitrate}/${encoding.maxFramerate}`;
    if (this.#applied.get(sender) === key) return true;
    const ok = await applyMeshEncoding(sender, encoding);
    if (ok) this.#applied.set(sender, key);
    return ok;
  }

  forget(sender: EncodingSender): void {
    this.#applied.delete(sender);
  }
}
