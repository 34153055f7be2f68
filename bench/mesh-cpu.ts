/**
 * Measures a real peer-to-peer meeting of N Chromium browsers (default 4, one browser process each) on
 * this machine: time from opening the link to the first decoded remote frame, and each browser's CPU
 * while every participant decodes every other one. Run inside a loopback-only network namespace:
 *   unshare -n sh -c 'ip link set lo up && node --import tsx bench/mesh-cpu.ts [N] [seconds]'
 */
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { CHROMIUM_ARGS, RelayProcess, TRACK_PEER_CONNECTIONS, decodedFrames, expectVideoFromPeers, freePort, sleep } from '../client/e2e/harness.ts';
import { treeCpuSeconds } from './proc-cpu.ts';

const n = Number(process.argv[2] ?? 4);
const seconds = Number(process.argv[3] ?? 20);

const relay = new RelayProcess(await freePort(), { MESH_MAX: String(Math.max(4, n)) });
await relay.start();
const room = (await (await fetch(`${relay.url}/api/rooms`, { method: 'POST' })).json()) as { url: string };
const link = room.url.replace(/^http:\/\/[^/]+/, relay.url);
const servers = [];
const pages: Page[] = [];
const firstFrameMs: number[] = [];
try {
  for (let i = 0; i < n; i++) {
    const server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    servers.push(server);
    const browser = await chromium.connect(server.wsEndpoint());
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    await context.addInitScript(TRACK_PEER_CONNECTIONS);
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(link);
    await page.locator('[data-testid=name-input]').fill(`Participant ${i + 1}`);
    await page.locator('[data-testid=join-button]').click();
    await page.locator('[data-testid=room]').waitFor({ timeout: 30_000 });
    pages.push(page);
    if (i > 0) {
      while (!(await decodedFrames(page)).framesPerPc.some((f) => f > 0)) await sleep(50);
      firstFrameMs.push(Date.now() - t0);
    }
    process.stderr.write(`joined ${i + 1}/${n}\n`);
  }
  await Promise.all(pages.map((p) => expectVideoFromPeers(p, n - 1, 60_000)));
  const before = servers.map((s) => treeCpuSeconds(s.process().pid!));
  const framesBefore = await Promise.all(pages.map((p) => decodedFrames(p)));
  const t = Date.now();
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    process.stderr.write(`\rmeasuring ${s + 1}/${seconds} s`);
  }
  const elapsed = (Date.now() - t) / 1000;
  const cpu = servers.map((s, i) => (100 * (treeCpuSeconds(s.process().pid!) - before[i]!)) / elapsed);
  const framesAfter = await Promise.all(pages.map((p) => decodedFrames(p)));
  const fps = framesAfter.map((a, i) => a.framesPerPc.map((f, k) => (f - (framesBefore[i]!.framesPerPc[k] ?? 0)) / elapsed));
  process.stderr.write('\n');
  console.log(`mesh of ${n} Chromium browsers, 320x180@15 fake camera, ${elapsed.toFixed(0)} s`);
  console.log('browser  cpu(% of one core)  decoded fps per remote');
  cpu.forEach((c, i) => console.log(`${String(i + 1).padEnd(8)} ${c.toFixed(0).padStart(6)} %            ${fps[i]!.map((f) => f.toFixed(1)).join(' ')}`));
  console.log(`mean per browser: ${(cpu.reduce((a, b) => a + b, 0) / n).toFixed(0)} %; total ${cpu.reduce((a, b) => a + b, 0).toFixed(0)} % of ${200} %`);
  console.log(`link opened → first decoded remote frame: ${firstFrameMs.map((m) => `${m} ms`).join(', ')}`);
} finally {
  for (const s of servers) await s.close();
  await relay.stop();
}
