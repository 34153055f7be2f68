/**
 * What the ui scenario measures inside the page, with the browser's own clock (performance.now):
 *
 * - **script**: from the start of the task that makes a change (our own input event, or the WebSocket
 *   message that brings a remote one) until the DOM is updated (the app's handlers, Solid, the DOM).
 * - **work**: from the same start until style and layout are done too (forced at once by reading a
 *   layout property, so the figure does not wait for the next frame).
 * - **to paint**: from the same start until the next frame has been painted (a requestAnimationFrame
 *   callback, then a task after it); it includes the wait for that frame (up to ~17 ms at 60 Hz).
 * - **long tasks** (PerformanceObserver `longtask`, ≥ 50 ms) and long animation frames (`long-animation-frame`,
 *   with their style and layout time and their longest scripts).
 *
 * Remote changes are timed from the start of the `onmessage` handler that applied them: every
 * WebSocket's handler is wrapped to note when it starts, and a MutationObserver, whose callback runs
 * as a microtask right after the handler that mutated the DOM, checks the awaited conditions. The note
 * is wiped by a microtask queued after the handler, so a DOM change made by any other task is timed
 * from the moment it was observed instead (and counted as `unattributed`).
 *
 * Plain JavaScript in a string, installed with addInitScript before the app loads.
 */
export const PAGE_PROBE = `(() => {
  const probe = { taskStart: null, longTasks: [], longFrames: [], expects: [], done: [], unattributed: 0 };
  window.__uiProbe = probe;
  const now = () => performance.now();

  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  try {
    // With what ran in the frame, so a reader can tell our list from anything else on the page.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const end = e.startTime + e.duration;
        probe.longFrames.push({
          start: e.startTime,
          duration: Math.round(e.duration),
          blocking: Math.round(e.blockingDuration),
          styleAndLayout: e.styleAndLayoutStart ? Math.round(end - e.styleAndLayoutStart) : 0,
          scripts: [...e.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3).map((x) => x.invoker + ' ' + Math.round(x.duration) + ' ms'),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {}

  const Original = window.WebSocket;
  const timed = (handler) => function (event) {
    const start = now();
    probe.taskStart = start;
    try { return handler.call(this, event); }
    finally { queueMicrotask(() => { if (probe.taskStart === start) probe.taskStart = null; }); }
  };
  window.WebSocket = class extends Original {
    set onmessage(handler) { super.onmessage = typeof handler === 'function' ? timed(handler) : handler; }
    get onmessage() { return super.onmessage; }
  };

  probe.nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(now());
    channel.port2.postMessage(0);
  }));

  const row = (id) => document.querySelector('.people li:not([hidden])[data-participant-id="' + id + '"]');
  const holds = (e) => {
    const r = row(e.id);
    switch (e.state) {
      case 'row': return r !== null;
      case 'gone': return r === null;
      case 'hand': return r !== null && r.querySelector('.hand-indicator') !== null;
      case 'nohand': return r !== null && r.querySelector('.hand-indicator') === null;
    }
    return false;
  };

  new MutationObserver(() => {
    if (probe.expects.length === 0) return;
    const seen = now();
    const met = probe.expects.filter(holds);
    if (met.length === 0) return;
    probe.expects = probe.expects.filter((e) => !met.includes(e));
    const start = probe.taskStart ?? seen;
    if (probe.taskStart === null) probe.unattributed += met.length;
    const script = seen - start;
    document.querySelector('.people')?.getBoundingClientRect();
    const work = now() - start;
    probe.nextPaint().then((painted) => { for (const e of met) probe.done.push({ id: e.id, state: e.state, start, script, work, paint: painted - start }); });
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });

  /** Awaits conditions on shown rows of the participants list: [{ id, state: 'row' | 'gone' | 'hand' | 'nohand' }]. */
  probe.expect = (list) => { probe.expects.push(...list); };
  /** Resolves with the timings of everything expected, once all of it is painted (or rejects). */
  probe.settled = (count, timeoutMs) => new Promise((resolve, reject) => {
    const deadline = now() + timeoutMs;
    const poll = () => {
      if (probe.done.length >= count && probe.expects.length === 0) return resolve(probe.done.splice(0));
      if (now() > deadline) return reject(new Error('still waiting for ' + JSON.stringify(probe.expects) + ' after ' + timeoutMs + ' ms'));
      setTimeout(poll, 20);
    };
    poll();
  });

  /** A local interaction, timed the same way: { selector } clicks it, { selector, value } types value into it. */
  probe.act = async (action) => {
    const target = document.querySelector(action.selector);
    if (!target) throw new Error('no ' + action.selector);
    const start = now();
    if (action.value === undefined) target.click();
    else {
      target.value = action.value;
      target.dispatchEvent(new Event('input', { bubbles: true }));
    }
    const script = now() - start;
    document.querySelector('.people')?.getBoundingClientRect();
    const work = now() - start;
    const painted = await probe.nextPaint();
    return { start, script, work, paint: painted - start };
  };

  probe.longSince = (from) => ({
    tasks: probe.longTasks.filter((t) => t.start >= from).map((t) => t.duration),
    frames: probe.longFrames.filter((t) => t.start >= from).map(({ start, ...frame }) => frame),
  });
})();`;
