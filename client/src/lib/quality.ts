/**
 * Connection quality of one received video, from the `inbound-rtp` stats of the stream a tile shows
 * (RTCPeerConnection.getStats, polled every ~2 s by stores/connectionQuality.ts). Pure: samples in,
 * a verdict out; the poller passes the time of each sample.
 *
 * Counters are cumulative, so the verdict looks at the change over the last WINDOW_MS (a few polls):
 * packet loss as a share of the packets that should have arrived, the current jitter, decoded frames
 * per second and time spent frozen (Chromium's `totalFreezesDuration`). Frame rate and freezes count
 * only when motion is expected (a camera that is on): a screen share of a still slide legitimately
 * sends a frame every few seconds, and a camera turned off sends next to nothing.
 *
 *            loss     jitter    fps (motion)   frozen (motion)         no packets (motion)
 *   poor    ≥ 8 %    ≥ 100 ms   < 5            ≥ 25 % of the window    yes
 *   fair    ≥ 2 %    ≥ 40 ms    < 10           any
 *   good    otherwise
 */
export type Quality = 'good' | 'fair' | 'poor';

export type StatsSample = {
  /** When the sample was taken, ms. */
  at: number;
  packetsReceived: number;
  packetsLost: number;
  /** Seconds, as getStats reports it. */
  jitter: number;
  framesDecoded: number;
  /** Seconds, cumulative. */
  freezesDuration: number;
};

export type Assessment = { quality: Quality; lossPct: number; jitterMs: number; fps: number; frozenMs: number };

export const POLL_MS = 2000;
export const WINDOW_MS = 6000;

export const THRESHOLDS = {
  poor: { lossPct: 8, jitterMs: 100, fps: 5, frozenShare: 0.25 },
  fair: { lossPct: 2, jitterMs: 40, fps: 10, frozenShare: 0 },
} as const;

/**
 * Appends a sample and forgets those older than the window (keeping one at or before its start, so
 * the window is covered). Counters that went backwards mean a new stream: start over from it.
 */
export function pushSample(samples: readonly StatsSample[], sample: StatsSample, windowMs = WINDOW_MS): StatsSample[] {
  const last = samples[samples.length - 1];
  if (last && (sample.packetsReceived < last.packetsReceived || sample.framesDecoded < last.framesDecoded || sample.at <= last.at)) return [sample];
  const all = [...samples, sample];
  let start = 0;
  while (start + 1 < all.length - 1 && all[start + 1]!.at <= sample.at - windowMs) start++;
  return all.slice(start);
}

/** The verdict over the samples' span; null until there are two samples to compare. */
export function assess(samples: readonly StatsSample[], options: { expectMotion: boolean }): Assessment | null {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.at <= first.at) return null;
  const seconds = (last.at - first.at) / 1000;
  const received = Math.max(0, last.packetsReceived - first.packetsReceived);
  const lost = Math.max(0, last.packetsLost - first.packetsLost); // can go down: late packets are un-lost
  const lossPct = received + lost > 0 ? (100 * lost) / (received + lost) : 0;
  const jitterMs = last.jitter * 1000;
  const fps = Math.max(0, last.framesDecoded - first.framesDecoded) / seconds;
  const frozenMs = Math.max(0, last.freezesDuration - first.freezesDuration) * 1000;
  const frozenShare = frozenMs / (seconds * 1000);
  const motion = options.expectMotion;
  const at = (level: (typeof THRESHOLDS)['poor' | 'fair']) =>
    lossPct >= level.lossPct || jitterMs >= level.jitterMs || (motion && (fps < level.fps || (frozenMs > 0 && frozenShare >= level.frozenShare)));
  const quality: Quality = (motion && received === 0) || at(THRESHOLDS.poor) ? 'poor' : at(THRESHOLDS.fair) ? 'fair' : 'good';
  return { quality, lossPct, jitterMs, fps, frozenMs };
}
