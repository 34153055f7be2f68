/**
 * Whether each video slot of the relay connection decodes its current occupant, from polling the
 * connection's `framesDecoded` per mid (only while a switch needs to know: `watch(true)`).
 *
 * A fresh relay stream may decode its first keyframe and then stall (measured in escalation.e2e.ts,
 * up to ~1.5 s while the relay was starved of CPU): a slot counts as decoding once it decoded a few
 * frames since its baseline (3: each one more costs the page a frame interval of decoding both paths)
 * and still decodes (more frames than ~300 ms ago). A slot's baseline is its count when its occupant
 * changed, or when watching started.
 */
import { createSignal } from 'solid-js';

const STEADY_FRAMES = 3;
const POLL_MS = 150;

export function createSlotDecoding(pc: () => RTCPeerConnection | null) {
  const [frames, setFrames] = createSignal<Map<string, number>>(new Map());
  let baselines = new Map<string, number>();
  let recent: Array<Map<string, number>> = [];
  let timer: ReturnType<typeof setInterval> | undefined;

  const poll = async () => {
    const conn = pc();
    if (!conn) return;
    const next = new Map<string, number>();
    try {
      (await conn.getStats()).forEach((r: { type: string; kind?: string; mid?: string; framesDecoded?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video' && r.mid) next.set(r.mid, r.framesDecoded ?? 0);
      });
    } catch {
      return;
    }
    if (pc() !== conn) return;
    recent = [...recent, frames()].slice(-2); // the sample ~300 ms ago is recent[0]
    setFrames(next);
  };

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };

  return {
    /** Whether slot `mid` decodes steadily (reactive: read in a tracking scope, it follows the polls). */
    steady(mid: string): boolean {
      const now = frames().get(mid) ?? 0;
      const before = recent[0]?.get(mid) ?? 0;
      return now - (baselines.get(mid) ?? 0) >= STEADY_FRAMES && now > before;
    },
    /** The slots `mid` got a new occupant: they count from their frames so far. */
    rebase(mids: Iterable<string>): void {
      const known = frames();
      for (const mid of mids) baselines.set(mid, known.get(mid) ?? 0);
    },
    /** A new connection: no baselines. */
    reset(): void {
      baselines = new Map();
    },
    /** Polls while on; turning it on first re-bases every slot. */
    async watch(on: boolean): Promise<void> {
      stop();
      if (!on) return;
      await poll();
      baselines = new Map(frames());
      timer = setInterval(() => void poll(), POLL_MS);
    },
    stop,
  };
}
