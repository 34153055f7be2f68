/**
 * Fuzzing the relay's receive path with what only a publisher can send: authentic SRTP (sealed with the
 * publisher's own keys, over its real ICE/DTLS connection to the real relay), carrying hostile RTP on
 * its camera's SSRC: sequence numbers that jump, repeat, go back and leave gaps; random timestamps, payload
 * types, marker bits, CSRC lists, extension blocks (RFC 8285 one- and two-byte, unknown profiles,
 * elements that overrun) and padding counts; random payloads, so the forwarding core reads random VP8
 * descriptors. Afterwards the camera sends as before, and the viewer must get its video again.
 *
 * Checked: no packet throws on its way through the relay (RtpIntake counts what would, since werift's
 * socket handler swallows errors), nothing throws in the process; every NACK the relay sends asks for at
 * most 128 packets, and they come at most every 20 ms or so; the stream works afterwards. Reproduce
 * a run with FUZZ_SEED=<printed seed>.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GenericNack } from 'werift';
import type { RtcpPacket } from 'werift';
import { prng, sleep, waitUntil } from '../../test/wait.ts';
import { iceSend } from './ice-send.ts';
import { RtpSealer } from './srtp-sealer.ts';
import { TestRoom } from './test-room.ts';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PACKETS = 10_000;
const [P, V] = ['session-pub', 'session-view'] as const;

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);

/** One hostile RTP packet on `ssrc`, its sequence number from `seq` (the generator's running number). */
function hostileRtp(rng: Rng, ssrc: number, seq: number, videoPt: number): Uint8Array {
  const csrcs = rng() < 0.1 ? int(rng, 16) : 0;
  const extension = rng() < 0.5;
  const words = extension ? int(rng, 6) : 0;
  const payload = int(rng, rng() < 0.1 ? 4 : 1200);
  const padding = rng() < 0.1;
  const headerLength = 12 + 4 * csrcs + (extension ? 4 + 4 * words : 0);
  const p = new Uint8Array(headerLength + payload + (padding ? 1 : 0));
  for (let i = 12; i < p.length; i++) p[i] = int(rng, 256);
  p[0] = 0x80 | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs;
  p[1] = (rng() < 0.5 ? 0x80 : 0) | (rng() < 0.8 ? videoPt : int(rng, 128));
  p[2] = (seq >> 8) & 0xff;
  p[3] = seq & 0xff;
  new DataView(p.buffer).setUint32(4, int(rng, 2 ** 32));
  new DataView(p.buffer).setUint32(8, ssrc);
  if (extension) {
    const at = 12 + 4 * csrcs;
    const profile = [0xbede, 0x1000, 0x1001, int(rng, 0x10000)][int(rng, 4)]!;
    p[at] = profile >> 8;
    p[at + 1] = profile & 0xff;
    p[at + 2] = 0;
    p[at + 3] = words;
  }
  if (padding) p[p.length - 1] = int(rng, 256); // a padding count, possibly past the payload
  return p;
}

/**
 * The next sequence number: mostly the next one, else a jump, a repeat, a step back or a gap. All within
 * 20,000–40,000: SRTP's rollover counter is then 0 at both ends whatever arrives (a jump elsewhere would
 * have this sender's estimate and the relay's part ways after a lost packet, and every later packet fail
 * authentication, which is SRTP working, not the path under test). Wraps are unit-tested (unwrap.ts,
 * nack-requester.ts, stream-stats.ts, srtp-unsealer.ts).
 */
function nextSeq(rng: Rng, seq: number): number {
  const r = rng();
  const next = r < 0.7 ? seq + 1 : r < 0.8 ? 20_000 + int(rng, 20_000) : r < 0.85 ? seq : r < 0.95 ? seq - int(rng, 100) : seq + 500 + int(rng, 1500);
  return next < 20_000 || next >= 40_000 ? 20_000 + int(rng, 20_000) : next;
}

test(`authentic but hostile RTP from a publisher: nothing throws, NACKs stay bounded, the stream works after (seed ${SEED})`, async () => {
  const uncaught: string[] = [];
  const onError = (e: unknown) => uncaught.push(String((e as Error)?.stack ?? e));
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  const t = new TestRoom('room-intake-fuzz');
  try {
    const publisher = await t.join({ id: P, tag: 1, slots: { audio: 1, video: 1 }, media: { videoBytes: 600 } });
    const viewer = await t.join({ id: V, tag: 2, slots: { audio: 1, video: 1 } });
    await t.connected();
    await t.room.handle(V, { type: 'view', videos: [{ sessionId: P, source: 'camera', width: 320, height: 180 }] });
    publisher.startPublishing();
    await waitUntil(() => viewer.from(1, 'video').packets >= 20, 10_000, 'video at the viewer before the fuzz');
    publisher.stopPublishing();

    const videoSsrc = publisher.video.sender.ssrc;
    const nacks: Array<{ at: number; count: number }> = [];
    const transport = publisher.pc.dtlsTransports[0]!;
    transport.onRtcp.subscribe((p: RtcpPacket) => {
      const fb = (p as { feedback?: unknown }).feedback;
      if (p.type === 205 && fb instanceof GenericNack && fb.mediaSourceSsrc === videoSsrc) nacks.push({ at: performance.now(), count: fb.lost.length });
    });
    const sealer = new RtpSealer(transport.srtp.localContext);
    const rng = prng(SEED);
    const videoPt = publisher.video.sender.codec?.payloadType ?? 96;
    let seq = 20_000 + int(rng, 20_000);
    let sent = 0;
    for (let i = 0; i < PACKETS; i++) {
      seq = nextSeq(rng, seq);
      const parts = sealer.sealParts(hostileRtp(rng, videoSsrc, seq, videoPt));
      if (parts && iceSend(transport.iceTransport.connection, parts, parts.reduce((n, x) => n + x.length, 0))) sent++;
      if (i % 50 === 49) await sleep(5); // ~10,000 packets/s: under the relay's socket buffer
    }
    await sleep(500);
    console.log(`  seed ${SEED}: ${sent} hostile packets sent; the relay took ${t.room.peer(P)!.intakeCounters().taken} past werift and sent ${nacks.length} NACKs`);
    assert.ok(sent >= PACKETS * 0.9, `sent ${sent}`);
    const { taken, authFailures, errors } = t.room.peer(P)!.intakeCounters();
    assert.ok(taken >= sent * 0.9, `the relay's own path opened ${taken} of ${sent} (${authFailures} failed authentication)`);
    assert.is(errors, 0, 'no packet threw on its way through the relay (werift would swallow it)');
    assert.equal(uncaught, [], 'nothing thrown');
    assert.ok(nacks.every((n) => n.count <= 128), `largest NACK ${Math.max(0, ...nacks.map((n) => n.count))} numbers`);
    const seconds = nacks.length > 1 ? (nacks.at(-1)!.at - nacks[0]!.at) / 1000 : 1;
    assert.ok(nacks.length <= 60 * Math.max(1, seconds) + 5, `${nacks.length} NACKs in ${seconds.toFixed(1)} s`);

    // The camera as before: its own numbering, which the fuzz may have left far behind or ahead.
    const before = viewer.from(1, 'video').packets;
    publisher.startPublishing();
    await waitUntil(() => viewer.from(1, 'video').packets >= before + 20, 10_000, 'video at the viewer after the fuzz', () => `${viewer.from(1, 'video').packets - before} new packets`);
    assert.equal(uncaught, [], 'nothing thrown');
  } finally {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
    await t.close();
  }
});

test.run();
