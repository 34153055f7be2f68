/**
 * How long a remote tile showed no new picture: what a person looking at it would call a freeze.
 *
 * A tile has two <video>s taking turns on a stream switch (ui/Video.tsx): the next stream plays in the
 * hidden one, which comes to the front once it presented a frame. A new picture on the tile is a frame
 * presented by the element in front, or the moment the other element (already showing frames) comes to
 * the front.
 *
 * In the page (FRAME_GAPS, an init script) every <video> of every remote camera tile is watched with
 * requestVideoFrameCallback from the moment it appears, front or not, and every change of which one is
 * in front is logged. Video frames are composited off the page's main thread, which runs the callbacks
 * late when it is busy: a late callback reports several frames presented since the last one
 * (`presentedFrames`). The page also logs when its main thread was blocked (a 20 ms ticker late by over
 * 50 ms), and `visibleGaps` spreads a late callback's frames over the blocked part of its interval:
 * while the main thread was free, a presented frame would have had a callback of its own, so frames
 * without one came while it was blocked — or at the end, when it never was (a paused element reports
 * the frame shown at the pause and the one at the resume together: spread evenly, a 1.2 s pause read
 * 0.6 s in 2 of ~60 tries). Watching the hidden element too is what makes this work after a swap: its
 * count of frames is known before it comes to the front (a watcher attached only then would count a
 * busy main thread's late first callback as a freeze).
 */

/** One callback: when the latest frame was (to be) displayed, and the element's count of presented
 * frames then. [t, -1] is no frame: the element's stream changed then, and its count starts again. */
export type FrameCallback = [t: number, presented: number];
export type ElementLog = { id: number; callbacks: FrameCallback[] };
/** A remote camera tile: its elements' callbacks and when each came to the front, in ms since the reset. */
export type TileLog = { key: string; elements: ElementLog[]; fronts: Array<[t: number, id: number]>; width: number; frames: number };

/** A time the page's main thread was blocked, [from, to], in ms since the reset. */
export type Stall = [from: number, to: number];

export type TileGap = { sessionId: string; frames: number; width: number; maxGapMs: number; gapEndedAt: number; swappedAt: number[]; callbackGapMs: number };

/** The parts of (from, to) inside the blocked intervals, in order. */
function blockedWithin(stalls: ReadonlyArray<Stall>, from: number, to: number): Stall[] {
  const out: Stall[] = [];
  for (const [a, b] of stalls) {
    const lo = Math.max(a, from);
    const hi = Math.min(b, to);
    if (hi > lo) out.push([lo, hi]);
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** Frame times of one element: each callback's frame at its time, and the frames it reports beyond
 * that spread evenly over the blocked part of the interval since the callback before (none blocked: at
 * the callback's time too). */
function frameTimes(log: ElementLog, stalls: ReadonlyArray<Stall>): number[] {
  const times: number[] = [];
  log.callbacks.forEach(([t, presented], i) => {
    if (presented < 0) return; // a new stream, not a frame
    const before = log.callbacks[i - 1];
    if (!before) return void times.push(t);
    const [t0, p0] = before;
    // The same count again is no new frame: a re-armed callback on a paused or stalled element may be
    // called back for the frame already shown.
    if (p0 >= 0 && presented <= p0) return;
    const extra = p0 >= 0 ? presented - p0 - 1 : 0;
    const blocked = blockedWithin(stalls, t0, t);
    const total = blocked.reduce((sum, [a, b]) => sum + (b - a), 0);
    for (let j = 1; j <= extra; j++) {
      if (total === 0) {
        times.push(t);
        continue;
      }
      // The j-th of `extra` points, evenly along the blocked time laid end to end.
      let at = (total * j) / (extra + 1);
      for (const [a, b] of blocked) {
        if (at <= b - a) {
          times.push(a + at);
          break;
        }
        at -= b - a;
      }
    }
    times.push(t);
  });
  return times.sort((a, b) => a - b);
}

/**
 * The longest time between two new pictures on the tile from 0 (the reset) to `now`: frames of the
 * element in front at the time, and swaps to an element whose latest frame is newer than the last
 * picture shown (a swap to a stalled element shows nothing new).
 */
export function visibleGaps(tile: TileLog, now: number, stalls: ReadonlyArray<Stall> = []): TileGap {
  const fronts = [...tile.fronts].sort((a, b) => a[0] - b[0]);
  const frontAt = (t: number) => fronts.filter(([ft]) => ft <= t).at(-1)?.[1];
  const framesOf = new Map(tile.elements.map((e) => [e.id, frameTimes(e, stalls)]));
  // Frames on screen, and swaps, in time order (a swap before a frame at the same time).
  const moments: Array<{ t: number; swapTo?: number }> = [];
  for (const [id, times] of framesOf) for (const t of times) if (t > 0 && t <= now && frontAt(t) === id) moments.push({ t });
  for (const [t, id] of fronts) if (t > 0 && t <= now) moments.push({ t, swapTo: id });
  moments.sort((a, b) => a.t - b.t || (a.swapTo === undefined ? 1 : 0) - (b.swapTo === undefined ? 1 : 0));
  let last = 0;
  let maxGapMs = 0;
  let gapEndedAt = 0;
  const picture = (t: number) => {
    if (t - last > maxGapMs) [maxGapMs, gapEndedAt] = [t - last, t];
    last = t;
  };
  for (const m of moments) {
    if (m.swapTo === undefined) picture(m.t);
    else if ((framesOf.get(m.swapTo) ?? []).some((f) => f > last && f <= m.t)) picture(m.t);
  }
  picture(now);
  let callbackGapMs = 0;
  for (const e of tile.elements) for (let i = 1; i < e.callbacks.length; i++) if (frontAt(e.callbacks[i]![0]) === e.id) callbackGapMs = Math.max(callbackGapMs, e.callbacks[i]![0] - e.callbacks[i - 1]![0]);
  return {
    sessionId: tile.key, frames: tile.frames, width: tile.width, maxGapMs: Math.round(maxGapMs), gapEndedAt: Math.round(gapEndedAt),
    swappedAt: fronts.filter(([t]) => t > 0).map(([t]) => Math.round(t)), callbackGapMs: Math.round(callbackGapMs),
  };
}

/**
 * The same tile as a watcher of the front element alone would have seen it (how this file measured
 * before): no frames while an element is hidden, and no count of frames to start from when it comes to
 * the front. For comparing the two measures on one run.
 */
export function frontOnly(tile: TileLog): TileLog {
  const fronts = [...tile.fronts].sort((a, b) => a[0] - b[0]);
  const elements = tile.elements.map(({ id, callbacks }) => {
    const kept: FrameCallback[] = [];
    fronts.forEach(([from, frontId], i) => {
      if (frontId !== id) return;
      const to = fronts[i + 1]?.[0] ?? Infinity;
      kept.push([from, -1], ...callbacks.filter(([t, p]) => p >= 0 && t >= from && t < to));
    });
    return { id, callbacks: kept };
  });
  return { ...tile, elements };
}

/** The page side: `window.__frameGaps.reset()` starts a new window, `.record()` returns `{ now, stalls: Stall[], tiles: TileLog[] }`. */
export const FRAME_GAPS = `(() => {
  let since = performance.now();
  const tiles = new Map(); // session id -> { key, elements: Map<video, w>, fronts, frames }
  let nextId = 0;
  const watch = (tile, video) => {
    const w = { id: nextId++, video, callbacks: [], src: video.srcObject, handle: 0, lastT: 0, lastPresented: -1, lastCb: 0 };
    const onFrame = (now, meta) => {
      const t = (meta.expectedDisplayTime ?? now) - since;
      const fresh = w.lastPresented < 0 || meta.presentedFrames > w.lastPresented; // not a re-armed callback for the same frame
      w.callbacks.push([t, meta.presentedFrames]);
      w.lastT = t + since; w.lastPresented = meta.presentedFrames; w.lastCb = now;
      if (fresh && video.getAttribute('data-front') === 'true') tile.frames++;
      w.handle = video.requestVideoFrameCallback(onFrame);
    };
    w.rearm = () => { video.cancelVideoFrameCallback(w.handle); w.handle = video.requestVideoFrameCallback(onFrame); w.lastCb = performance.now(); };
    w.handle = video.requestVideoFrameCallback(onFrame);
    tile.elements.set(video, w);
    if (video.getAttribute('data-front') === 'true') tile.fronts.push([performance.now() - since, w.id]);
    new MutationObserver(() => { if (video.getAttribute('data-front') === 'true') tile.fronts.push([performance.now() - since, w.id]); })
      .observe(video, { attributes: true, attributeFilter: ['data-front'] });
  };
  let stalls = [];
  let tick = performance.now();
  setInterval(() => { const now = performance.now(); if (now - tick > 50) stalls.push([tick - since, now - since]); tick = now; }, 20);
  setInterval(() => {
    for (const el of document.querySelectorAll('[data-testid=tile][data-self=false][data-kind=camera]')) {
      const key = el.getAttribute('data-session-id');
      let tile = tiles.get(key);
      if (!tile) tiles.set(key, (tile = { key, elements: new Map(), fronts: [], frames: 0 }));
      for (const video of el.querySelectorAll('video')) if (!tile.elements.has(video)) watch(tile, video);
    }
    for (const tile of tiles.values()) for (const w of tile.elements.values()) {
      // A new stream: its count of presented frames starts again.
      if (w.video.srcObject !== w.src) { w.src = w.video.srcObject; w.callbacks.push([performance.now() - since, -1]); w.lastPresented = -1; }
      // A callback may not survive a srcObject change: re-arm elements that went quiet.
      if (w.src && performance.now() - w.lastCb > 300) w.rearm();
    }
  }, 100);
  window.__frameGaps = {
    reset() {
      since = performance.now();
      stalls = [];
      for (const tile of tiles.values()) {
        tile.fronts = [];
        for (const w of tile.elements.values()) {
          // Keep each element's last count as the baseline of its next callback.
          w.callbacks = w.lastT ? [[w.lastT - since, w.lastPresented]] : [];
          if (w.video.getAttribute('data-front') === 'true') tile.fronts.push([0, w.id]);
        }
      }
    },
    record() {
      const live = [...tiles.values()].filter((t) => [...t.elements.keys()].some((v) => v.isConnected));
      return { now: performance.now() - since, stalls, tiles: live.map((t) => {
        const front = [...t.elements.keys()].find((v) => v.isConnected && v.getAttribute('data-front') === 'true');
        return { key: t.key, frames: t.frames, width: front ? front.videoWidth : 0, fronts: t.fronts, elements: [...t.elements.values()].map((w) => ({ id: w.id, callbacks: w.callbacks })) };
      }) };
    },
  };
})();`;
