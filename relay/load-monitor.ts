/**
 * The relay's load, read off its event loop, driving the capacity limit (sfu/select/capacity.ts).
 *
 * Every relay room forwards on this one event loop, so how late its timers run is how far behind the
 * relay is on packets. `monitorEventLoopDelay` samples that every 10 ms; twice a second the 90th
 * percentile, less the sampling interval, goes to the CapacityGovernor (a single GC pause or a
 * burst of joins does not make a 90th percentile). Packets shed at the socket (overload.ts) in the
 * window count as overload too. The one limit object is handed to every room's layer selectors.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from './log.ts';
import { shedStats } from './overload.ts';
import { CapacityGovernor, type CapacityLimit, type CapacityParams } from './sfu/select/capacity.ts';

const RESOLUTION_MS = 10;
const WINDOW_MS = 500;

export type LoadMonitor = {
  readonly limit: Readonly<CapacityLimit>;
  /** 0 = everything forwarded; see CAPACITY_LEVELS. */
  level(): number;
  /** Level changes since start. */
  changes(): number;
  close(): void;
};

export function startLoadMonitor(log: Logger, params: Partial<CapacityParams> = {}): LoadMonitor {
  const governor = new CapacityGovernor(params);
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let shedBefore = shedStats.shed;
  let changes = 0;
  const timer = setInterval(() => {
    const lagMs = Math.max(0, histogram.percentile(90) / 1e6 - RESOLUTION_MS);
    const shed = shedStats.shed - shedBefore;
    shedBefore = shedStats.shed;
    histogram.reset();
    const before = governor.level;
    if (!governor.observe(shed > 0 ? Infinity : lagMs, performance.now())) return;
    changes++;
    const { maxLayer, maxVideos, maxAudio } = governor.limit;
    const message = governor.level > before ? 'relay: over capacity, forwarding less' : 'relay: capacity back, forwarding more';
    log.warn(message, { level: governor.level, lagMs: Math.round(lagMs), shed, maxLayer: String(maxLayer), maxVideos: String(maxVideos), maxAudio: String(maxAudio) });
  }, WINDOW_MS);
  timer.unref();
  return {
    limit: governor.limit,
    level: () => governor.level,
    changes: () => changes,
    close() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
