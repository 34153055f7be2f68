/**
 * The `ui` scenario: the participants panel of the real client, in Debian's Chromium, in rooms of
 * different sizes measured side by side in one run (default 10 and 150), since on a shared 2-core
 * machine only the ratio between sizes is steady.
 *
 * The relay is the real one (relay/main.ts, serving the built client; RELAY_MODE=on, MESH_MAX=2, so
 * the browser sends its media to the relay instead of opening a peer connection to everyone). Every
 * participant but the browser is a RosterParticipant: join API, signalling socket and Yjs awareness,
 * no media; that is all the panel lists (the relay's roster, raised hands from the room document,
 * microphone state from awareness). One page per room, both open for the whole run; each round runs
 * every action on each room in turn (the order alternates between rounds):
 *
 *   open panel      a click on the participants button (the panel is closed in between)
 *   search key      one letter typed into the search (input event), for each query of names.ts
 *   search clear    the search emptied at once
 *   hand raise/lower  a remote participant raises (lowers) a hand in the room document: the row moves
 *   leave / join    a burst of participants leaving at once, then as many new ones joining at once
 *
 * Each sample is timed in the page (page-probe.ts): `script` until the DOM is updated, `work` until
 * layout is done, `paint` until the next painted frame; and the long tasks during the action's phases.
 * `bursts` adds each burst as a whole: its first message to its last row painted.
 * WebRTC on loopback: run inside a loopback-only network namespace (npm run bench does, as root).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { RelayProcess, fakeCameraFile, freePort, launchBrowser, sleep } from '../../client/e2e/harness.ts';
import { ensureClientBuilt } from '../../relay/build-client.ts';
import { SEARCHES, rosterName } from './names.ts';
import { PAGE_PROBE } from './page-probe.ts';
import { RosterParticipant } from './roster-participant.ts';

export const UI_ACTIONS = ['open panel', 'search key', 'search clear', 'hand raise', 'hand lower', 'leave (burst)', 'join (burst)'] as const;
export type UiAction = (typeof UI_ACTIONS)[number];

export type UiOptions = {
  /** Room sizes, the browser included (default 10 and 150). */
  sizes: number[];
  rounds: number;
  /** Panel openings, raised hands and burst size per round (smaller for the smoke run). */
  opens?: number;
  hands?: number;
  burst?: number;
  searches?: readonly string[];
  onProgress?: (line: string) => void;
};

export type Sample = { start: number; script: number; work: number; paint: number };
export type LongFrame = { duration: number; blocking: number; styleAndLayout: number; scripts: string[] };

export type UiRow = {
  action: UiAction;
  participants: number;
  samples: number;
  scriptP50: number;
  scriptP95: number;
  workP50: number;
  workP95: number;
  workMax: number;
  paintP50: number;
  paintP95: number;
  paintMax: number;
  longTasks: number;
  longTaskMaxMs: number;
  longFrames: number;
  /** Each long animation frame: its duration, blocking and style-and-layout ms, and its longest scripts. */
  longFrameDetails: LongFrame[];
  /** Rows shown (not hidden by the search) after the action. */
  rowsListed: number;
  /** Remote changes whose DOM update was seen outside a WebSocket message task (timed from when seen). */
  unattributed: number;
};

export type UiReport = { chromium: string; sizes: number[]; rounds: number; rows: UiRow[]; bursts: Array<{ participants: number; action: UiAction; count: number; wholeMs: number }>; errors: string[] };

type Room = { size: number; page: Page; present: RosterParticipant[]; next: number; base: string; roomId: string };
/** What page-probe.ts installs as window.__uiProbe. */
type Probe = {
  act(action: { selector: string; value?: string }): Promise<Sample>;
  expect(list: Expectation[]): void;
  settled(count: number, timeoutMs: number): Promise<Sample[]>;
  longSince(from: number): { tasks: number[]; frames: LongFrame[] };
  unattributed: number;
};
type Expectation = { id: string; state: 'row' | 'gone' | 'hand' | 'nohand' };
type Phase = { samples: Sample[]; longTasks: number[]; longFrames: LongFrame[]; rows: number; unattributed: number };

const root = fileURLToPath(new URL('../..', import.meta.url));
const SETTLE_MS = 10_000;

export async function runUi(o: UiOptions): Promise<UiReport> {
  const progress = o.onProgress ?? (() => {});
  // y-websocket adds a process 'exit' listener per provider: one per roster participant here.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 2 * o.sizes.reduce((a, b) => a + b, 0) + 20));
  progress('ui: building the client if it is stale');
  await ensureClientBuilt(root, join(root, 'dist', 'client'));
  const relay = new RelayProcess(await freePort(), { RELAY_MODE: 'on', MESH_MAX: '2', ROOM_MAX: String(Math.max(150, ...o.sizes)), MODE_HOLD_MS: '600000', LOG_LEVEL: 'warn' });
  let browser: Browser | undefined;
  const rooms: Room[] = [];
  const phases = new Map<string, Phase>();
  const bursts: UiReport['bursts'] = [];
  try {
    await relay.start();
    browser = await launchBrowser([`--use-file-for-fake-video-capture=${fakeCameraFile()}`]);
    for (const size of o.sizes) rooms.push(await openRoom(browser, relay.url, size, progress));

    const record = (action: UiAction, room: Room, phase: Omit<Phase, 'rows'> & { rows?: number }) => {
      const key = `${action}|${room.size}`;
      const into = phases.get(key) ?? { samples: [], longTasks: [], longFrames: [], rows: 0, unattributed: 0 };
      into.samples.push(...phase.samples);
      into.longTasks.push(...phase.longTasks);
      into.longFrames.push(...phase.longFrames);
      into.unattributed += phase.unattributed;
      if (phase.rows !== undefined) into.rows = phase.rows;
      phases.set(key, into);
    };

    for (let round = 0; round < o.rounds; round++) {
      const order = round % 2 === 0 ? rooms : [...rooms].reverse();
      const step = async (label: string, fn: (room: Room) => Promise<void>) => {
        for (const room of order) {
          progress(`ui round ${round + 1}/${o.rounds}: ${label}, ${room.size} participants`);
          await fn(room);
        }
      };
      await step('open panel', async (room) => record('open panel', room, await openPanel(room, o.opens ?? 5)));
      await step('search', async (room) => {
        const { keys, clears } = await search(room, o.searches ?? SEARCHES);
        record('search key', room, keys);
        record('search clear', room, clears);
      });
      await step('hands', async (room) => {
        const { raise, lower } = await hands(room, o.hands ?? 6);
        record('hand raise', room, raise);
        record('hand lower', room, lower);
      });
      await step('leave and join bursts', async (room) => {
        const { leave, join } = await burst(room, o.burst ?? 8);
        record('leave (burst)', room, leave);
        record('join (burst)', room, join);
        for (const [action, phase] of [['leave (burst)', leave], ['join (burst)', join]] as const) {
          bursts.push({ participants: room.size, action, count: phase.samples.length, wholeMs: Math.max(...phase.samples.map((s) => s.start + s.paint)) - Math.min(...phase.samples.map((s) => s.start)) });
        }
      });
    }

    const rows: UiRow[] = [];
    for (const action of UI_ACTIONS) {
      for (const room of rooms) {
        const p = phases.get(`${action}|${room.size}`);
        if (!p) continue;
        const script = p.samples.map((s) => s.script);
        const work = p.samples.map((s) => s.work);
        const paint = p.samples.map((s) => s.paint);
        rows.push({
          action,
          participants: room.size,
          samples: p.samples.length,
          scriptP50: quantile(script, 0.5),
          scriptP95: quantile(script, 0.95),
          workP50: quantile(work, 0.5),
          workP95: quantile(work, 0.95),
          workMax: Math.max(...work),
          paintP50: quantile(paint, 0.5),
          paintP95: quantile(paint, 0.95),
          paintMax: Math.max(...paint),
          longTasks: p.longTasks.length,
          longTaskMaxMs: Math.max(0, ...p.longTasks),
          longFrames: p.longFrames.length,
          longFrameDetails: p.longFrames,
          rowsListed: p.rows,
          unattributed: p.unattributed,
        });
      }
    }
    const errors = rooms.flatMap((r) => r.present.flatMap((p) => p.errors.map((e) => `${r.size}: ${p.name}: ${e}`)));
    return { chromium: browser.version(), sizes: o.sizes, rounds: o.rounds, rows, bursts, errors };
  } finally {
    for (const room of rooms) for (const p of room.present) p.close();
    await browser?.close();
    await relay.stop();
  }
}

async function openRoom(browser: Browser, base: string, size: number, progress: (line: string) => void): Promise<Room> {
  const created = (await (await fetch(`${base}/api/rooms`, { method: 'POST' })).json()) as { roomId: string };
  const room = { size, base, roomId: created.roomId, present: [] as RosterParticipant[], next: 0 };
  try {
    while (room.present.length < size - 1) {
      const batch = Array.from({ length: Math.min(10, size - 1 - room.present.length) }, () => newParticipant(room));
      room.present.push(...batch);
      await Promise.all(batch.map((p) => p.join()));
      progress(`ui: room of ${size}: ${room.present.length}/${size - 1} roster participants joined`);
    }
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    await context.addInitScript(PAGE_PROBE);
    const page = await context.newPage();
    page.on('pageerror', (err) => progress(`ui: page error (${size}): ${err.message}`));
    await page.goto(`${base}/${room.roomId}`);
    await page.locator('[data-testid=name-input]').fill('Bench Viewer');
    await page.locator('[data-testid=join-button]').click();
    await page.locator('[data-testid=room]').waitFor({ timeout: 30_000 });
    await page.waitForFunction((n) => document.querySelector('[data-testid=participant-count]')?.textContent?.trim() === String(n), size, { timeout: 30_000 });
    progress(`ui: room of ${size}: the browser is in, ${size} listed`);
    return Object.assign(room, { page });
  } catch (err) {
    for (const p of room.present) p.close();
    throw err;
  }
}

/** A new roster participant; every third one is muted. */
function newParticipant(room: { base: string; roomId: string; next: number }): RosterParticipant {
  const i = room.next++;
  return new RosterParticipant(room.base, room.roomId, rosterName(i), i % 3 === 0);
}

const pageNow = (page: Page) => page.evaluate(() => performance.now());
const rowsListed = (page: Page) => page.evaluate(() => document.querySelectorAll('.people li:not([hidden])').length);

/** Long tasks and frames in the page between `from` and now (after a short wait: they are reported late). */
async function longSince(page: Page, from: number): Promise<{ longTasks: number[]; longFrames: LongFrame[] }> {
  await sleep(150);
  const { tasks, frames } = await page.evaluate((t) => (window as unknown as { __uiProbe: Probe }).__uiProbe.longSince(t), from);
  return { longTasks: tasks, longFrames: frames };
}

/** A click on `selector`, or `value` typed into it (one input event), timed in the page. */
function act(page: Page, action: { selector: string; value?: string }): Promise<Sample> {
  return page.evaluate((a) => (window as unknown as { __uiProbe: Probe }).__uiProbe.act(a), action);
}

async function openPanel(room: Room, times: number): Promise<Phase> {
  const { page } = room;
  const toggle = { selector: '[data-testid=toggle-participants]' };
  const isOpen = () => page.evaluate(() => document.querySelector('.participants-panel') !== null);
  if (await isOpen()) await act(page, toggle);
  const from = await pageNow(page);
  const samples: Sample[] = [];
  let rows = 0;
  for (let i = 0; i < times; i++) {
    await sleep(200);
    samples.push(await act(page, toggle));
    rows = await rowsListed(page);
    if (rows !== room.size) throw new Error(`the panel lists ${rows} rows in a room of ${room.size}`);
    if (i < times - 1) await act(page, toggle);
  }
  return { samples, ...(await longSince(page, from)), rows, unattributed: 0 };
}

async function search(room: Room, queries: readonly string[]): Promise<{ keys: Phase; clears: Phase }> {
  const { page } = room;
  const setQuery = (value: string) => ({ selector: '[data-testid=participant-search]', value });
  const keys: Sample[] = [];
  const clears: Sample[] = [];
  const keyLong: Phase = { samples: keys, longTasks: [], longFrames: [], rows: 0, unattributed: 0 };
  const clearLong: Phase = { samples: clears, longTasks: [], longFrames: [], rows: 0, unattributed: 0 };
  for (const query of queries) {
    let from = await pageNow(page);
    for (let n = 1; n <= query.length; n++) {
      keys.push(await act(page, setQuery(query.slice(0, n))));
      await sleep(80); // about a fast typist's pace
    }
    const typed = await longSince(page, from);
    keyLong.longTasks.push(...typed.longTasks);
    keyLong.longFrames.push(...typed.longFrames);
    keyLong.rows = await rowsListed(page);
    from = await pageNow(page);
    clears.push(await act(page, setQuery('')));
    const cleared = await longSince(page, from);
    clearLong.longTasks.push(...cleared.longTasks);
    clearLong.longFrames.push(...cleared.longFrames);
    clearLong.rows = await rowsListed(page);
    await sleep(100);
  }
  return { keys: keyLong, clears: clearLong };
}


/** Awaits the page's timings of `expected` after `cause()` (remote changes, timed from their message). */
async function remote(page: Page, expected: Expectation[], cause: () => void | Promise<void>): Promise<{ samples: Sample[]; unattributed: number }> {
  await page.evaluate((list) => (window as unknown as { __uiProbe: Probe }).__uiProbe.expect(list), expected);
  const before = await page.evaluate(() => (window as unknown as { __uiProbe: Probe }).__uiProbe.unattributed);
  await cause();
  const samples = await page.evaluate(([n, ms]) => (window as unknown as { __uiProbe: Probe }).__uiProbe.settled(n, ms), [expected.length, SETTLE_MS] as const);
  const after = await page.evaluate(() => (window as unknown as { __uiProbe: Probe }).__uiProbe.unattributed);
  return { samples, unattributed: after - before };
}

/** `count` participants spread over the alphabet, so their rows move from all over the list. */
function spread(room: Room, count: number): RosterParticipant[] {
  const sorted = [...room.present].sort((a, b) => a.name.localeCompare(b.name));
  const n = Math.min(count, sorted.length);
  return Array.from({ length: n }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / n)]!);
}

async function hands(room: Room, count: number): Promise<{ raise: Phase; lower: Phase }> {
  const { page } = room;
  const who = spread(room, count);
  const run = async (state: 'hand' | 'nohand') => {
    const from = await pageNow(page);
    const samples: Sample[] = [];
    let unattributed = 0;
    for (const p of who) {
      const r = await remote(page, [{ id: p.participantId, state }], () => (state === 'hand' ? p.raiseHand() : p.lowerHand()));
      samples.push(...r.samples);
      unattributed += r.unattributed;
      await sleep(100);
    }
    return { samples, ...(await longSince(page, from)), rows: await rowsListed(page), unattributed };
  };
  return { raise: await run('hand'), lower: await run('nohand') };
}

async function burst(room: Room, count: number): Promise<{ leave: Phase; join: Phase }> {
  const { page } = room;
  const leaving = spread(room, Math.min(count, room.present.length - 1));
  let from = await pageNow(page);
  const left = await remote(page, leaving.map((p) => ({ id: p.participantId, state: 'gone' })), () => leaving.forEach((p) => p.close()));
  room.present = room.present.filter((p) => !leaving.includes(p));
  const leave: Phase = { ...left, ...(await longSince(page, from)), rows: await rowsListed(page) };
  await sleep(300);

  const joining = leaving.map(() => newParticipant(room));
  await Promise.all(joining.map((p) => p.register()));
  from = await pageNow(page);
  const joined = await remote(page, joining.map((p) => ({ id: p.participantId, state: 'row' })), () => Promise.all(joining.map((p) => p.connect())).then(() => {}));
  room.present.push(...joining);
  const join: Phase = { ...joined, ...(await longSince(page, from)), rows: await rowsListed(page) };
  await sleep(300);
  return { leave, join };
}

/** Nearest-rank quantile. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
