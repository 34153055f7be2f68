/**
 * Last-N through the real relay: 12 werift clients in one RelayRoom (in-process, loopback), each
 * publishing synthetic Opus-like audio with RFC 6464 levels (3 talkers, the rest near silence) and
 * VP8-like video, each offering 3 audio and 4 video slots and showing 4 others (one of them large).
 * Each must receive video only from those it shows, audio only from the talkers (never its own), in
 * the slots the `slots` message names, with one SSRC and continuous sequence numbers per slot.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreForwarder } from './core-forwarder.ts';
import type { SendPath } from './relay-peer.ts';
import { SEND_PATHS } from './test-client.ts';
import { TestRoom } from './test-room.ts';

const N = 12;
const TALKERS = 3;
const ids = Array.from({ length: N }, (_, i) => `session-${String(i + 1).padStart(4, '0')}`);
const tagOf = new Map(ids.map((id, i) => [id, i + 1]));
/** Client i shows i+1, i+2, i+4 and i+7 (mod N), the first one large; client 0 later changes its mind. */
const initialView = (i: number) => [1, 2, 4, 7].map((k) => ids[(i + k) % N]!);
const changedView = [ids[4]!, ids[2]!, ids[9]!, ids[11]!];
let shownBy = initialView;
const viewOf = (i: number) => shownBy(i).map((sessionId, k) => ({ sessionId, source: 'camera' as const, width: k === 0 ? 1280 : 320, height: k === 0 ? 720 : 180 }));

async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const twelveClients = (sendPath: SendPath) => async () => {
  shownBy = initialView;
  const t = new TestRoom('room-last-n', { sendPath });
  const { room, clients } = t;
  const core = room.core as CoreForwarder;
  try {
    for (const [i, id] of ids.entries()) {
      // Talkers speak at -20 dBov with the voice bit; the others send -110 dBov, no voice.
      await t.join({ id, tag: i + 1, slots: { audio: 3, video: 4 }, media: { audioLevel: i < TALKERS ? 0x80 | 20 : 110 } });
      await room.handle(id, { type: 'view', videos: viewOf(i) });
    }
    const all = [...clients.values()];
    await t.connected();
    for (const [i, id] of ids.entries()) {
      // An occupant that stays shown keeps its slot, so the order is the seating order, not the view's.
      const seated = clients.get(id)!.lastSlots?.video.map((v) => v.sessionId).sort();
      assert.equal(seated, shownBy(i).sort(), `${id}: its video slots hold what it shows`);
    }
    for (const c of all) c.startPublishing();

    const talkers = ids.slice(0, TALKERS);
    await waitFor('video from every shown publisher and audio from every other talker', () =>
      all.every((c, i) =>
        shownBy(i).every((s) => c.from(tagOf.get(s)!, 'video').keyframes >= 1) &&
        talkers.every((s) => s === c.sessionId || c.from(tagOf.get(s)!, 'audio').packets >= 20),
      ),
    );

    // A measured window of steady forwarding; the time inside the forwarder (core + rewriting) apart.
    const onPacket = core.onPacket.bind(core);
    let forwarderMs = 0;
    core.onPacket = (pub, packet, now) => {
      const t = performance.now();
      const out = onPacket(pub, packet, now);
      forwarderMs += performance.now() - t;
      return out;
    };
    const delivered0 = core.core.counters.delivered;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(3000);
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const forwarded = core.core.counters.delivered - delivered0;
    core.onPacket = onPacket;

    // Client 0 swaps two tiles (keeping tags 3 and 5, the first now large): the freed slots take the
    // new publishers with no break in their sequence numbers; what arrived before is forgotten.
    const c0 = clients.get(ids[0]!)!;
    shownBy = (i) => (i === 0 ? changedView : initialView(i));
    await room.handle(ids[0]!, { type: 'view', videos: viewOf(0) });
    assert.equal(c0.lastSlots?.video.map((v) => v.sessionId).sort(), [...changedView].sort());
    await waitFor('the new tiles at client 0', () => [10, 12].every((tag) => c0.from(tag, 'video').keyframes >= 1));
    await sleep(100);
    c0.received.clear();
    await sleep(500);
    for (const c of all) c.stopPublishing();
    await sleep(200);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    // The whole process: 12 clients' SRTP and werift too, not the relay alone.
    const perPacket = (ms: number) => ((ms * 1000) / forwarded).toFixed(1);
    console.log(
      `  last-N: ${forwarded} packets forwarded in ${wallMs.toFixed(0)} ms; process CPU ${perPacket(cpuMs)} µs per forwarded packet ` +
        `(werift on both sides included), of which ${perPacket(forwarderMs)} µs in the forwarder`,
    );

    for (const [i, c] of all.entries()) {
      const shown = shownBy(i).map((s) => tagOf.get(s)!);
      for (let tag = 1; tag <= N; tag++) {
        const video = c.from(tag, 'video').packets;
        const audio = c.from(tag, 'audio').packets;
        if (shown.includes(tag)) assert.ok(video > 0, `${c.sessionId} sees ${tag}`);
        else assert.is(video, 0, `${c.sessionId} gets no video from ${tag}, which it doesn't show`);
        if (tag <= TALKERS && tag !== c.tag) assert.ok(audio > 0, `${c.sessionId} hears talker ${tag}`);
        else assert.is(audio, 0, `${c.sessionId} gets no audio from ${tag}`);
      }
      // The slots message names who is in each slot; every packet came in that slot, on one SSRC, in sequence.
      const audioOccupants = c.lastSlots!.audio.flatMap((a) => (a.sessionId ? [a.sessionId] : [])).sort();
      assert.equal(audioOccupants, talkers.filter((s) => s !== c.sessionId), `${c.sessionId}: audio slots hold the other talkers`);
      for (const [mid, byTag] of c.received) {
        for (const tag of byTag.keys()) assert.is(c.occupant(mid), ids[tag - 1], `${c.sessionId} slot ${mid} got tag ${tag}`);
        const stream = c.streams.get(mid)!;
        const slotSsrc = room.peer(c.sessionId)!.slotInfo(mid)!.ssrc;
        assert.equal([...stream.ssrcs], [slotSsrc], `${c.sessionId} slot ${mid}: one SSRC, the slot's`);
        assert.is(stream.jumps, 0, `${c.sessionId} slot ${mid}: ${stream.jumps} sequence jumps in ${stream.packets} packets`);
      }
    }
  } finally {
    await t.close();
  }
};

for (const sendPath of SEND_PATHS) test(`[${sendPath}] 12 clients: each gets the video it shows, the 3 talkers’ audio, continuous streams per slot`, twelveClients(sendPath));

test.run();
