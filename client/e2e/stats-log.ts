/**
 * Diagnostics for browser tests: an init script that samples every tracked peer connection's RTP stats
 * every 100 ms into `window.__statsLog`, and a printer that turns them into a per-stream timeline of
 * frames decoded (inbound) and encoded (outbound) per bin. Used when a media test fails, to tell a
 * decoding stall (no frames decoded), a network one (no packets) and a rendering one apart.
 */
import type { Page } from 'playwright-core';

export const STATS_LOG = `(() => {
  const log = [];
  window.__statsLog = { log, since: performance.now(), reset() { log.length = 0; this.since = performance.now(); } };
  setInterval(async () => {
    const pcs = (window.__palabrePcs ?? []);
    const t = Math.round(performance.now() - window.__statsLog.since);
    for (let i = 0; i < pcs.length; i++) {
      const pc = pcs[i];
      if (pc.connectionState === 'closed') continue;
      let stats;
      try { stats = await pc.getStats(); } catch { continue; }
      stats.forEach((r) => {
        if (r.kind !== 'video') return;
        if (r.type === 'inbound-rtp') log.push({ t, pc: i, dir: 'in', id: r.mid ?? r.trackIdentifier, frames: r.framesDecoded ?? 0, packets: r.packetsReceived ?? 0, lost: r.packetsLost ?? 0, nack: r.nackCount ?? 0, pli: r.pliCount ?? 0, keyframes: r.keyFramesDecoded ?? 0, dropped: r.framesDropped ?? 0 });
        if (r.type === 'outbound-rtp') log.push({ t, pc: i, dir: 'out', id: (r.mid ?? '') + (r.rid ? '/' + r.rid : ''), frames: r.framesEncoded ?? 0, packets: r.packetsSent ?? 0, lost: 0, nack: r.nackCount ?? 0, pli: r.pliCount ?? 0, keyframes: r.keyFramesEncoded ?? 0, dropped: 0, limit: r.qualityLimitationReason, w: r.frameWidth });
      });
    }
  }, 100);
})();`;

type Sample = { t: number; pc: number; dir: string; id: string; frames: number; packets: number; lost: number; nack: number; pli: number; keyframes: number; dropped: number; limit?: string; w?: number };

export const resetStats = (page: Page) => page.evaluate(() => (window as unknown as { __statsLog: { reset(): void } }).__statsLog.reset());

/** Frames (and packets) per `binMs` bin for every stream of the page between `from` and `to` ms after the reset. */
export async function statsTimeline(page: Page, from: number, to: number, binMs = 250): Promise<string> {
  const log = await page.evaluate(() => (window as unknown as { __statsLog: { log: Sample[] } }).__statsLog.log);
  const streams = new Map<string, Sample[]>();
  for (const s of log) {
    const key = `pc${s.pc}${s.dir === 'in' ? '<' : '>'}${s.id}`;
    let list = streams.get(key);
    if (!list) streams.set(key, (list = []));
    list.push(s);
  }
  const lines: string[] = [];
  for (const [key, list] of streams) {
    const cells: string[] = [];
    for (let b = from; b < to; b += binMs) {
      const before = [...list].reverse().find((s) => s.t <= b);
      const after = [...list].reverse().find((s) => s.t <= b + binMs);
      if (!after || !before) { cells.push('   .'); continue; }
      const f = after.frames - before.frames;
      const p = after.packets - before.packets;
      const extra = (after.pli > before.pli ? 'P' : '') + (after.keyframes > before.keyframes ? 'K' : '') + (after.lost > before.lost ? 'L' : '');
      cells.push(`${String(f).padStart(2)}/${String(p).padStart(3)}${extra}`.padStart(9));
    }
    const last = list[list.length - 1]!;
    lines.push(`${key.padEnd(14)} ${cells.join('')}  lost=${last.lost} nack=${last.nack} pli=${last.pli} kf=${last.keyframes}${last.limit ? ' limit=' + last.limit : ''}${last.w ? ' w=' + last.w : ''}`);
  }
  const header = `${'t(ms)'.padEnd(14)} ${Array.from({ length: Math.ceil((to - from) / binMs) }, (_, i) => String(from + i * binMs).padStart(9)).join('')}`;
  return [header, ...lines].join('\n');
}

/**
 * The page's main thread, for LONG_TASKS: long tasks, long animation frames (≥ 100 ms) with the scripts
 * that ran in them (what, from where, how long), stalls of a 50 ms timer over 250 ms, and WebSocket
 * messages whose handler took over 20 ms. `window.__longTasks.reset()` starts a window, `.report()` reads it.
 */
export const MAIN_THREAD_LOG = `(() => {
  let since = performance.now();
  const longTasks = [];
  try { new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push([Math.round(e.startTime - since), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: false }); } catch {}
  const frames = [];
  try { new PerformanceObserver((list) => { for (const e of list.getEntries()) frames.push([Math.round(e.startTime - since), Math.round(e.duration), Math.round(e.blockingDuration), (e.scripts ?? []).filter((x) => x.duration >= 10).map((x) => x.invokerType + ':' + x.invoker + (x.sourceFunctionName ? ' ' + x.sourceFunctionName : '') + (x.sourceURL ? ' @' + x.sourceURL.split('/').pop() + ':' + x.sourceCharPosition : '') + ' ' + Math.round(x.duration) + 'ms').join('; ')]); }).observe({ type: 'long-animation-frame', buffered: false }); } catch {}
  let lastTick = performance.now(); const stalls = [];
  setInterval(() => { const now = performance.now(); if (now - lastTick > 250) stalls.push([Math.round(lastTick - since), Math.round(now - lastTick)]); lastTick = now; }, 50);
  const slowWs = [];
  const d = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', { set(h) { d.set.call(this, (ev) => { const t = performance.now(); h(ev); const dt = performance.now() - t; if (dt > 20) { let type = '?'; try { type = JSON.parse(ev.data).type; } catch {} slowWs.push([Math.round(t - since), type + ' ' + Math.round(dt) + ' ms']); } }); }, get() { return d.get.call(this); } });
  window.__longTasks = {
    reset() { since = performance.now(); },
    report: () => ({ longTasks: longTasks.filter(([t]) => t > 0), stalls: stalls.filter(([t]) => t > 0), frames: frames.filter(([t, d]) => t > 0 && d >= 100), slowWs: slowWs.filter(([t]) => t > 0) }),
  };
})();`;

export const resetMainThreadLog = (page: Page) => page.evaluate(() => (window as unknown as { __longTasks: { reset(): void } }).__longTasks.reset());
export const mainThreadLog = (page: Page) => page.evaluate(() => (window as unknown as { __longTasks: { report(): unknown } }).__longTasks.report());
