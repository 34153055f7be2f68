/**
 * ROOMS_DEBUG diagnostics: prints this process's event-loop stalls (a 100 ms timer that ran more than
 * `thresholdMs` late), with the CPU the process used meanwhile: about the stall, it was busy (blocked
 * in its own code); much less, it was starved of CPU by other processes or blocked in a system call.
 */
import { PerformanceObserver } from 'node:perf_hooks';

export function reportStalls(label: string, thresholdMs = 300): void {
  // Garbage collections over 50 ms, which explain some stalls.
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > 50) process.stderr.write(`[${label} gc] ${e.duration.toFixed(0)} ms (kind ${(e as { detail?: { kind?: number } }).detail?.kind ?? '?'}) at +${((e.startTime - t0) / 1000).toFixed(1)} s\n`);
  });
  gc.observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  let last = t0;
  let cpu = process.cpuUsage();
  setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    if (now - last > 100 + thresholdMs) process.stderr.write(`[${label} stall] ${(now - last - 100).toFixed(0)} ms late at +${((now - t0) / 1000).toFixed(1)} s, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms\n`);
    last = now;
    cpu = process.cpuUsage();
  }, 100).unref();
}
