/**
 * A whole peer-to-peer meeting in real Chromium: three participants join one link from separate browser
 * contexts, see and decode each other, chat, react and raise a hand; one reloads; the relay is killed and
 * restarted mid-meeting. Prints the time from opening the link to the first decoded remote frame.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { chatMessages } from '../../crdt/index.ts';
import { RelayProcess, TRACK_PEER_CONNECTIONS, expectScreenShare, decodedFrames, expectVideoFromPeers, freePort, launchBrowser, sleep } from './harness.ts';

let relay: RelayProcess;
let browser: Browser;
const pages: Page[] = [];
let link = '';

const tiles = (page: Page) => page.locator('[data-testid=tile][data-kind=camera]');
const selfId = (page: Page) => page.locator('[data-testid=tile][data-self=true]').first().getAttribute('data-participant-id');

/** Makes the page's camera and microphone take `ms` to open, as a slow device or a permission prompt does. */
const slowDevices = (ms: number) => `(() => {
  const md = navigator.mediaDevices, original = md.getUserMedia.bind(md);
  md.getUserMedia = (c) => new Promise((r) => setTimeout(r, ${ms})).then(() => original(c));
})();`;

async function open(name: string, mediaDelayMs = 0): Promise<{ page: Page; msToFirstFrame: number }> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(TRACK_PEER_CONNECTIONS);
  if (mediaDelayMs > 0) await context.addInitScript(slowDevices(mediaDelayMs));
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${name}] page error: ${err.message}`));
  const t0 = Date.now();
  await page.goto(link);
  await page.locator('[data-testid=name-input]').fill(name);
  await page.locator('[data-testid=join-button]').click();
  await page.locator('[data-testid=room]').waitFor({ timeout: 20_000 });
  pages.push(page);
  let msToFirstFrame = -1;
  if (pages.length > 1) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && msToFirstFrame < 0) {
      if ((await decodedFrames(page)).framesPerPc.some((f) => f > 0)) msToFirstFrame = Date.now() - t0;
      else await sleep(50);
    }
  }
  return { page, msToFirstFrame };
}

async function openChat(page: Page): Promise<void> {
  if (!(await page.locator('[data-testid=chat-input]').isVisible())) await page.locator('[data-testid=toggle-chat]').click();
  await page.locator('[data-testid=chat-input]').waitFor({ timeout: 5000 });
}

async function expectParticipants(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid=tile][data-kind=camera]').length === n && document.querySelector('[data-testid=participant-count]')?.textContent?.trim() === String(n),
    n,
    { timeout: 30_000 },
  );
}

test.before(async () => {
  relay = new RelayProcess(await freePort());
  await relay.start();
  browser = await launchBrowser();
});

test.after(async () => {
  await browser?.close();
  await relay?.stop();
});

test('three participants join one link and each decodes video from both others', async () => {
  const home = await browser.newPage();
  await home.goto(relay.url);
  await home.locator('[data-testid=new-meeting]').click();
  await home.waitForURL(/\/[a-z]{5}-[a-z]{5}-[a-z]{5}$/);
  link = home.url();
  await home.close();
  const first = await open('Alice');
  const second = await open('Bruno');
  const third = await open('Chloé', 3000); // joins before her devices open: her tracks join the links later
  console.log(`  time from opening the link to the first decoded remote frame: ${second.msToFirstFrame} ms (2nd participant)`);
  assert.ok(first.page && third.msToFirstFrame > 0);
  for (const page of pages) await expectParticipants(page, 3);
  await Promise.all(pages.map((p) => expectVideoFromPeers(p, 2)));
});

test('a chat message, a reaction and a raised hand from one appear at the other two', async () => {
  const [alice, ...others] = pages as [Page, Page, Page];
  const aliceId = await selfId(alice);
  assert.ok(aliceId);
  await openChat(alice);
  await alice.locator('[data-testid=chat-input]').fill('Bonjour <b>à tous</b>');
  await alice.locator('[data-testid=chat-input]').press('Enter');
  for (const page of others) {
    await page.locator('[data-testid=chat-unread]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=toggle-chat]').click();
    const msg = page.locator(`[data-testid=chat-message][data-author="${aliceId}"]`);
    await msg.waitFor({ timeout: 10_000 });
    assert.match((await msg.textContent()) ?? '', 'Bonjour <b>à tous</b>', 'rendered as inert text');
  }

  await alice.locator('[data-testid=toggle-reactions]').click();
  await alice.locator('[data-testid=reaction-option][data-emoji="👍"]').click();
  for (const page of others) {
    await page.locator(`[data-testid=tile][data-participant-id="${aliceId}"] [data-testid=reaction-bubble][data-emoji="👍"]`).waitFor({ timeout: 10_000 });
  }

  await alice.locator('[data-testid=toggle-hand]').click();
  for (const page of others) {
    await page.locator('[data-testid=toggle-participants]').click();
    await page.locator(`[data-testid=hand-queue-item][data-participant-id="${aliceId}"]`).waitFor({ timeout: 10_000 });
  }
});

test('a screen share is its own tile, promoted to the large view at the others, and goes away when stopped', async () => {
  const [alice, ...others] = pages as [Page, Page, Page];
  const aliceId = await selfId(alice);
  await alice.locator('[data-testid=toggle-screen]').click();
  for (const page of others) {
    await expectScreenShare(page, aliceId);
    assert.is(await page.locator('[data-testid=tile][data-kind=camera]').count(), 3, 'camera tiles stay');
  }
  await alice.locator('[data-testid=toggle-screen]').click();
  for (const page of others) await page.locator('[data-testid=tile][data-kind=screen]').waitFor({ state: 'detached', timeout: 15_000 });
});

test('a participant who reloads reappears once: everyone sees exactly three', async () => {
  const bruno = pages[1]!;
  await bruno.reload();
  await bruno.locator('[data-testid=join-button]').click();
  await bruno.locator('[data-testid=room]').waitFor({ timeout: 20_000 });
  for (const page of pages) await expectParticipants(page, 3);
  await sleep(6500); // past the relay's 5 s grace for dropped sessions: no ghost may appear or linger
  for (const page of pages) await expectParticipants(page, 3);
  await Promise.all(pages.map((p) => expectVideoFromPeers(p, 2)));
});

test('the relay restarts mid-meeting: clients reconnect by themselves and the chat is intact', async () => {
  await relay.kill();
  await Promise.all(pages.map((p) => p.locator('[data-testid=room][data-state=reconnecting]').waitFor({ timeout: 15_000 })));
  await relay.start();
  await Promise.all(pages.map((p) => p.locator('[data-testid=room][data-state=connected]').waitFor({ timeout: 20_000 })));

  // The relay's own copy, read by a stock y-websocket client, still has the message sent before the crash.
  const roomId = new URL(link).pathname.slice(1);
  const join = await (await fetch(`${relay.url}/api/rooms/${roomId}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Auditor"}' })).json() as { token: string };
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${relay.port}/yjs`, roomId, doc, { WebSocketPolyfill: WebSocket as never, params: { token: join.token }, disableBc: true });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  assert.ok(chatMessages(doc).some((m) => m.text === 'Bonjour <b>à tous</b>'), 'chat persisted by the relay');
  provider.destroy();
  doc.destroy(); // also stops the provider's Awareness timer, which would keep the process alive

  const chloe = pages[2]!;
  await openChat(chloe);
  await chloe.locator('[data-testid=chat-input]').fill('after the restart');
  await chloe.locator('[data-testid=chat-input]').press('Enter');
  for (const page of pages.slice(0, 2)) {
    await openChat(page);
    await page.locator('[data-testid=chat-message]', { hasText: 'after the restart' }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=chat-message]', { hasText: 'Bonjour' }).waitFor({ timeout: 5000 });
  }
  for (const page of pages) await expectParticipants(page, 3);
  await Promise.all(pages.map((p) => expectVideoFromPeers(p, 2)));
});

test.run();
