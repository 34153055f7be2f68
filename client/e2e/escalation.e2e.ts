/**
 * Mesh ↔ relay escalation in real Chromium, make-before-break. The relay runs with RELAY_MODE=on,
 * MESH_MAX=4, MODE_HOLD_MS=3000; five participants (separate browser contexts) join one by one. Four
 * are a mesh (the fourth warms the room: idle relay connections, no media); the fifth escalates it.
 * Every remote camera tile is watched (frame-gaps.ts), and the longest time any of them showed no new
 * picture during the switch is printed; it must stay under 1 s (MAX_GAP_MS). After the switch only the
 * relay connection is left. Two leave; after the hold time the room is a mesh again, its peer
 * connections carrying the video.
 *
 * The gap: five browsers share this machine's 2 cores, and mid-switch every page decodes both paths
 * for a moment. Before the fixes this test found (Chromium's real-time audio threads and the relay's
 * scheduling, RTCPeerConnection.close() blocking the page, a blank <video> between streams, the mesh
 * camera released before the relay's was on screen), it was 1.1–4.3 s. Until frame-gaps.ts watched
 * both of a tile's <video>s, a busy main thread's late first callback on the element just brought to
 * the front counted as a freeze: measured that way it read 0.5–1.2 s over ~20 runs, and the test
 * failed at 2 s. Watching both, 0.31–0.63 s over 6 runs, which read the old way as well gave
 * 0.53–0.87 s (the line printed says both). A test first checks that the measure does see a frozen
 * tile: one paused for 1.2 s read 1.21–1.33 s over 46 tries. The cameras play a generated low-complexity
 * clip (fakeCameraFile), 320×180 at 15 fps, which costs the encoders less than Chromium’s animated
 * test pattern.
 *
 * Diagnostics (environment): STATS_TIMELINE=1 prints every page's RTP stats per 250 ms around the
 * switch; PAGE_LOG=1 prints the pages' media-path changes; LONG_TASKS=1 their main-thread long tasks,
 * long animation frames (≥ 100 ms) with the scripts in them, and signalling messages whose handler took
 * over 20 ms (measured: `peer-joined` 90–130 ms and `mode` 100–150 ms of each page's main thread when the
 * fifth joins, `slots` up to 90 ms; closing the mesh links after the switch 240–270 ms);
 * PAGE_PROFILE=<dir> writes the first four pages' JavaScript CPU profiles over the switch (source-map
 * them with dist/client/assets/*.map).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { RelayProcess, TRACK_PEER_CONNECTIONS, expectScreenShare, fakeCameraFile, freePort, joinAs, launchBrowser, sleep, until } from './harness.ts';
import { FRAME_GAPS, frontOnly, visibleGaps, type Stall, type TileGap, type TileLog } from './frame-gaps.ts';
import { MAIN_THREAD_LOG, STATS_LOG, mainThreadLog, resetMainThreadLog, resetStats, statsTimeline } from './stats-log.ts';

const MAX_GAP_MS = 1000;
let relay: RelayProcess;
let browser: Browser;
let link = '';
const people: Array<{ name: string; context: BrowserContext; page: Page }> = [];

type PcInfo = { relay: boolean; state: string; videoFrames: number; videoBytes: number; videoMids: Record<string, number> };

/** Starts sampling the page's JavaScript (every 200 µs), for PAGE_PROFILE. */
async function startProfile(page: Page): Promise<CDPSession> {
  const c = await page.context().newCDPSession(page);
  await c.send('Profiler.enable');
  await c.send('Profiler.setSamplingInterval', { interval: 200 });
  await c.send('Profiler.start');
  return c;
}

type GapRecord = { now: number; stalls: Stall[]; tiles: TileLog[] };
const gapRecord = (page: Page) => page.evaluate(() => (window as unknown as { __frameGaps: { record(): GapRecord } }).__frameGaps.record());
/** Every remote camera tile's longest gap since the reset; `frontOnly` measures as before frame-gaps.ts watched hidden elements. */
const tileGaps = ({ now, stalls, tiles }: GapRecord, measure: 'both' | 'frontOnly' = 'both'): TileGap[] => tiles.map((t) => visibleGaps(measure === 'both' ? t : frontOnly(t), now, stalls));
const gaps = async (page: Page) => tileGaps(await gapRecord(page));
const resetGaps = (page: Page) => page.evaluate(() => (window as unknown as { __frameGaps: { reset(): void } }).__frameGaps.reset());

/** Every peer connection the page made that is not closed; the relay's is the one with ≥ 3 recvonly audio slots. */
async function pcs(page: Page): Promise<PcInfo[]> {
  return page.evaluate(async () => {
    const all = ((window as unknown as { __palabrePcs?: RTCPeerConnection[] }).__palabrePcs ?? []).filter((pc) => pc.connectionState !== 'closed');
    const out: PcInfo[] = [];
    for (const pc of all) {
      const relay = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'audio' && t.direction === 'recvonly').length >= 3;
      const info: PcInfo = { relay, state: pc.connectionState, videoFrames: 0, videoBytes: 0, videoMids: {} };
      (await pc.getStats()).forEach((r: { type: string; kind?: string; mid?: string; framesDecoded?: number; bytesReceived?: number }) => {
        if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
        info.videoFrames += r.framesDecoded ?? 0;
        info.videoBytes += r.bytesReceived ?? 0;
        if (r.mid) info.videoMids[r.mid] = r.framesDecoded ?? 0;
      });
      out.push(info);
    }
    return out;
  });
}

const pathOf = (page: Page) => page.locator('[data-testid=room]').evaluate((el) => `${el.getAttribute('data-media-path')}/${el.getAttribute('data-switching') === 'true' ? 'switching' : 'settled'}`);

/** Every remote camera tile presented a frame in the last `freshMs`, and there are `n` of them. */
async function tilesFlowing(page: Page, n: number, freshMs = 1000): Promise<boolean> {
  const before = await gaps(page);
  await sleep(freshMs);
  const after = await gaps(page);
  return after.length === n && after.every((a) => a.width > 0 && a.frames > (before.find((b) => b.sessionId === a.sessionId)?.frames ?? 0));
}

async function join(name: string): Promise<Page> {
  const initScripts = [TRACK_PEER_CONNECTIONS, FRAME_GAPS, ...(process.env.STATS_TIMELINE ? [STATS_LOG] : []), ...(process.env.LONG_TASKS ? [MAIN_THREAD_LOG] : [])];
  const { context, page } = await joinAs(browser, link, name, { viewport: { width: 800, height: 450 }, initScripts });
  if (process.env.PAGE_LOG) page.on('console', (m) => m.text().startsWith('media path') && console.log(`  [${name} ${Date.now() % 100000}] ${m.text()}`));
  people.push({ name, context, page });
  return page;
}

test.before(async () => {
  relay = new RelayProcess(await freePort(), { RELAY_MODE: 'on', MESH_MAX: '4', MODE_HOLD_MS: '3000', RTC_HOST_ADDRESSES: '127.0.0.1' });
  await relay.start();
  browser = await launchBrowser([`--use-file-for-fake-video-capture=${fakeCameraFile()}`]);
  link = await relay.createRoom();
});

test.after(async () => {
  await browser?.close();
  await relay?.stop();
});

test('four participants are a mesh; the fourth warms the room: idle relay connections, no relay media', async () => {
  for (const name of ['Ada', 'Bo', 'Cy', 'Di']) await join(name);
  for (const { page } of people) {
    await until('3 mesh links decoding', 30_000, async () => (await tilesFlowing(page, 3)) && (await pcs(page)).filter((p) => !p.relay && p.state === 'connected').length === 3, () => pcs(page));
    assert.is(await pathOf(page), 'mesh/settled');
  }
  for (const { page } of people) {
    const relayPc = await until('a warm relay connection', 15_000, async () => (await pcs(page)).find((p) => p.relay && p.state === 'connected') ?? false, () => pcs(page));
    assert.is(relayPc.videoBytes, 0, 'no media on the warm relay connection');
  }
});

test('the gap measure sees a frozen tile: one paused for 1.2 s', async () => {
  const { page } = people[0]!;
  // The paused <video> must stay the one on screen throughout: a tile re-rendered meanwhile (the grid
  // reorders on who speaks) gets new elements that play on, and the tile was not frozen. Then again.
  for (let attempt = 1; ; attempt++) {
    await resetGaps(page);
    const { paused, stayed } = await page.locator('[data-testid=tile][data-self=false][data-kind=camera] video[data-front=true]').first().evaluate(async (v: HTMLVideoElement) => {
      v.pause();
      await new Promise((r) => setTimeout(r, 1200));
      const stayed = v.isConnected && v.getAttribute('data-front') === 'true';
      await v.play();
      return { paused: v.closest('[data-testid=tile]')?.getAttribute('data-session-id'), stayed };
    });
    await sleep(500);
    if (!stayed && attempt < 3) continue;
    const all = await gaps(page);
    const frozen = all.find((g) => g.sessionId === paused)!;
    console.log(`  a tile paused for 1200 ms: longest gap ${frozen.maxGapMs} ms; the others ${all.filter((g) => g !== frozen).map((g) => g.maxGapMs).join(', ')} ms${attempt > 1 ? ` (attempt ${attempt}: the tile was re-rendered mid-pause before)` : ''}`);
    assert.ok(stayed, 'the paused <video> stayed on screen');
    assert.ok(frozen.maxGapMs >= 1100 && frozen.maxGapMs < 2000, `paused tile: ${frozen.maxGapMs} ms`);
    return;
  }
});

test('the fifth escalates the room: no tile shows the same picture for 1 s, then only the relay connection is left', async () => {
  await Promise.all(people.map(({ page }) => resetGaps(page)));
  if (process.env.STATS_TIMELINE) await Promise.all(people.map(({ page }) => resetStats(page)));
  if (process.env.LONG_TASKS) await Promise.all(people.map(({ page }) => resetMainThreadLog(page)));
  const cdps = process.env.PAGE_PROFILE ? await Promise.all(people.map(({ page }) => startProfile(page))) : [];
  const t0 = Date.now();
  await join('Ed');
  const settledMs = await until('every page on the relay, settled', 30_000, async () => {
    const paths = await Promise.all(people.map(({ page }) => pathOf(page)));
    return paths.every((p) => p === 'relay/settled') ? Date.now() - t0 : false;
  }, () => Promise.all(people.map(({ page }) => pathOf(page))));
  // The switch is over on a page when it acked (every tile swapped); one more second covers the last swap's first frame.
  await sleep(1000);
  for (const [i, c] of cdps.entries()) writeFileSync(`${process.env.PAGE_PROFILE}/page-${i}.cpuprofile`, JSON.stringify((await c.send('Profiler.stop')).profile));
  // Tiles of the four who were there all along (the fifth's tile is new: it has no gap to measure).
  const fifth = await people[4]!.page.locator('[data-testid=tile][data-self=true]').first().getAttribute('data-session-id');
  const report = await Promise.all(people.slice(0, 4).map(async ({ name, page }) => {
    const record = await gapRecord(page);
    return { name, gaps: tileGaps(record).filter((g) => g.sessionId !== fifth), asBefore: tileGaps(record, 'frontOnly').filter((g) => g.sessionId !== fifth) };
  }));
  for (const { page } of people) await until('4 remote tiles flowing', 15_000, async () => tilesFlowing(page, 4), () => gaps(page));
  const longest = Math.max(...report.flatMap((r) => r.gaps.map((g) => g.maxGapMs)));
  const longestAsBefore = Math.max(...report.flatMap((r) => r.asBefore.map((g) => g.maxGapMs)));
  console.log(`  escalation settled on every page ${settledMs} ms after the fifth opened the link`);
  for (const r of report) console.log(`  ${r.name}: longest gap per tile ${r.gaps.map((g) => `${g.maxGapMs} ms (ended at ${g.gapEndedAt}, swapped at ${g.swappedAt.join('/')}; callbacks ${g.callbackGapMs} ms apart)`).join(', ')}`);
  console.log(`  longest gap between presented frames on any tile during the switch: ${longest} ms (must be < ${MAX_GAP_MS} ms; watching the front <video> alone would read ${longestAsBefore} ms)`);
  if (process.env.LONG_TASKS) for (const { name, page } of people.slice(0, 4)) console.log(name, JSON.stringify(await mainThreadLog(page)));
  if (process.env.STATS_TIMELINE) for (const { name, page } of people.slice(0, 4)) console.log(`--- ${name}\n${await statsTimeline(page, 2000, 9000)}`);
  for (const r of report) for (const g of r.gaps) assert.ok(g.maxGapMs < MAX_GAP_MS, `${r.name}: tile ${g.sessionId} showed no new picture for ${g.maxGapMs} ms`);
  for (const { name, page } of people) {
    const open = await pcs(page);
    const connected = open.filter((p) => p.state === 'connected');
    assert.is(connected.length, 1, `${name}: only the relay connection stays (${JSON.stringify(open)})`);
    assert.ok(connected[0]!.relay, `${name}: the one left is the relay's`);
    const mids = Object.values(connected[0]!.videoMids).filter((f) => f > 0).length;
    assert.ok(mids >= 4, `${name}: decodes 4 videos from the relay (${mids})`);
    // Each remote tile rates its connection from the relay slot's stats (good, fair or poor).
    const ratings = await until(`${name}: 4 rated tiles`, 10_000, async () => {
      const r = await page.locator('[data-testid=tile][data-self=false] [data-quality]').evaluateAll((els) => els.map((e) => e.getAttribute('data-quality')));
      return r.length === 4 && r.every((q) => q === 'good' || q === 'fair' || q === 'poor') ? r : false;
    });
    console.log(`  ${name}: connection quality per tile ${ratings.join(', ')}`);
  }
});

test('on the relay, a screen share reaches the other four in the large view, and goes away when stopped', async () => {
  const [sharer, ...others] = people.map((p) => p.page);
  const sharerId = await sharer!.locator('[data-testid=tile][data-self=true]').first().getAttribute('data-participant-id');
  await sharer!.locator('[data-testid=toggle-screen]').click();
  for (const page of others) {
    await expectScreenShare(page, sharerId);
  }
  for (const { page } of people) assert.is(await pathOf(page), 'relay/settled', 'a share needs no switch');
  await sharer!.locator('[data-testid=toggle-screen]').click();
  for (const page of others) await page.locator('[data-testid=tile][data-kind=screen]').waitFor({ state: 'detached', timeout: 15_000 });
});

test('two leave; after the hold time the room is a mesh again and mesh links carry the video', async () => {
  const stayers = people.slice(0, 3);
  await Promise.all(stayers.map(({ page }) => resetGaps(page)));
  const t0 = Date.now();
  for (const { page } of people.slice(3)) await page.locator('[data-testid=leave]').click();
  await until('every stayer back in mesh, settled', 30_000, async () => {
    const paths = await Promise.all(stayers.map(({ page }) => pathOf(page)));
    return paths.every((p) => p === 'mesh/settled') || false;
  }, () => Promise.all(stayers.map(({ page }) => pathOf(page))));
  console.log(`  back in mesh ${Date.now() - t0} ms after two left (hold 3000 ms)`);
  for (const { name, page } of stayers) {
    await until(`${name}: 2 remote tiles flowing`, 15_000, async () => tilesFlowing(page, 2), () => gaps(page));
    const mesh = await until(`${name}: 2 mesh links decoding, relay closed`, 15_000, async () => {
      const open = await pcs(page);
      const meshPcs = open.filter((p) => !p.relay && p.state === 'connected');
      return meshPcs.length === 2 && meshPcs.every((p) => p.videoFrames > 0) && !open.some((p) => p.relay) ? meshPcs : false;
    }, () => pcs(page));
    assert.is(mesh.length, 2);
  }
  const back = await Promise.all(stayers.map(async ({ name, page }) => ({ name, gaps: await gaps(page) })));
  for (const r of back) console.log(`  ${r.name} (de-escalation): longest gap per tile ${r.gaps.map((g) => `${g.maxGapMs} ms`).join(', ')}`);
  for (const { context } of people) await context.close();
});

test.run();
