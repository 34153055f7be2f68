/**
 * Connection quality per shown remote tile (the verdict is lib/quality.ts). One shared timer polls
 * every POLL_MS while at least one tile is mounted, so only the tiles of the current page cost
 * anything; each peer connection is asked for its stats once per poll however many tiles it feeds
 * (the relay's one connection carries every tile of the page).
 *
 * A tile's video is found by its track: `inbound-rtp.trackIdentifier` is the receiver track's id,
 * for a mesh link's stream and for a relay slot alike, so the tile needs no idea which path it shows.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { POLL_MS, assess, pushSample, type Assessment, type StatsSample } from '../lib/quality.ts';

type Watcher = {
  track(): MediaStreamTrack | null;
  connections(): RTCPeerConnection[];
  expectMotion(): boolean;
  samples: StatsSample[];
  set(a: Assessment | null): void;
};

type InboundVideo = { type: string; kind?: string; trackIdentifier?: string; packetsReceived?: number; packetsLost?: number; jitter?: number; framesDecoded?: number; totalFreezesDuration?: number };

const watchers = new Set<Watcher>();
let timer: ReturnType<typeof setInterval> | undefined;

async function poll(): Promise<void> {
  const pcs = new Set<RTCPeerConnection>();
  for (const w of watchers) for (const pc of w.connections()) if (pc.connectionState !== 'closed') pcs.add(pc);
  const byTrack = new Map<string, InboundVideo>();
  await Promise.all(
    [...pcs].map(async (pc) => {
      try {
        (await pc.getStats()).forEach((r: InboundVideo) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video' && r.trackIdentifier) byTrack.set(r.trackIdentifier, r);
        });
      } catch {
        /* closed meanwhile: its tiles get no verdict this round */
      }
    }),
  );
  const at = performance.now();
  for (const w of watchers) {
    const track = w.track();
    const r = track ? byTrack.get(track.id) : undefined;
    if (!r) {
      w.samples = [];
      w.set(null);
      continue;
    }
    const sample: StatsSample = { at, packetsReceived: r.packetsReceived ?? 0, packetsLost: r.packetsLost ?? 0, jitter: r.jitter ?? 0, framesDecoded: r.framesDecoded ?? 0, freezesDuration: r.totalFreezesDuration ?? 0 };
    w.samples = pushSample(w.samples, sample);
    w.set(assess(w.samples, { expectMotion: w.expectMotion() }));
  }
}

/**
 * The quality of the video `track` received on one of `connections` (null until two polls compared,
 * or when the track is not found). Call inside a component: it polls while the component lives.
 */
export function createConnectionQuality(
  track: () => MediaStreamTrack | null,
  connections: () => RTCPeerConnection[],
  expectMotion: () => boolean,
): Accessor<Assessment | null> {
  const [assessment, setAssessment] = createSignal<Assessment | null>(null);
  const watcher: Watcher = { track, connections, expectMotion, samples: [], set: setAssessment };
  watchers.add(watcher);
  timer ??= setInterval(() => void poll(), POLL_MS);
  onCleanup(() => {
    watchers.delete(watcher);
    if (watchers.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  });
  return assessment;
}
