/**
 * `node --import tsx relay/sfu/testing/capture-chromium.ts [--out relay/sfu/testing/chromium-capture.json]`
 * (as root: it re-runs itself in a loopback-only network namespace).
 *
 * Captures what the relay's packet path hands the forwarding core when a real Chromium publishes: the
 * page sends its microphone (Chromium's fake device) and a 1280×720 camera in the client's three
 * simulcast layers (q/h/f, lib/relaySlots.ts), VP8 and Opus only, to a RelayPeer (the relay's own
 * peer: its answer, ICE, DTLS-SRTP, transport-wide feedback and intake). Once all three layers flow,
 * 1 s of every publication's packets is recorded as `onRtp` gives them (decrypted, header as sent), with
 * keyframe requests to each video layer 0.3 and 0.7 s in, so each layer has two keyframes mid-capture
 * (a viewer can start on one layer and switch to another).
 *
 * Kept per packet: the arrival time, the publication, the whole RTP header (extensions included), the
 * payload's first 16 bytes for video (the VP8 descriptor, payload header and a keyframe's start code
 * and size) or all of it for audio, the original length, and a padded packet's padding count (its last
 * byte). captured.ts rebuilds packets of the original length from that; captured.test.ts replays them.
 */
import { createServer } from 'node:http';
import { rerunInLoopbackNamespace } from '../../test/netns.ts';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fakeCameraFile, launchBrowser } from '../../../client/e2e/harness.ts';
import { simulcastLayers } from '../../../client/src/lib/relaySlots.ts';
import { rtpHeaderLength } from '../forward/index.ts';
import type { Publication } from '../transport/forwarder.ts';
import { RelayPeer } from '../transport/relay-peer.ts';
import type { IceCandidate } from '../transport/protocol.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'relay/sfu/testing/chromium-capture.json' } } });
rerunInLoopbackNamespace();

const VIDEO_PAYLOAD_KEPT = 16;
const CAPTURE_MS = 1000;
const KEYFRAMES_AT_MS = [300, 700];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = createServer((_req, res) => res.end('<!doctype html><title>capture</title>'));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
const browser = await launchBrowser([`--use-file-for-fake-video-capture=${fakeCameraFile(1280, 720)}`]);
const peer = new RelayPeer('chromium', { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false });
try {
  const page = await browser.newPage();
  await page.goto(url);
  const offer = await page.evaluate(async (encodings) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720, frameRate: 15 } });
    const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
    (window as unknown as { pc: RTCPeerConnection }).pc = pc;
    // (no helper function in here: tsx names functions with a __name() the page doesn't have)
    const audio = pc.addTransceiver(stream.getAudioTracks()[0]!, { direction: 'sendonly', streams: [stream] });
    audio.setCodecPreferences((RTCRtpSender.getCapabilities('audio')?.codecs ?? []).filter((c) => c.mimeType.toLowerCase() === 'audio/opus'));
    const video = pc.addTransceiver(stream.getVideoTracks()[0]!, { direction: 'sendonly', streams: [stream], sendEncodings: encodings });
    video.setCodecPreferences((RTCRtpSender.getCapabilities('video')?.codecs ?? []).filter((c) => c.mimeType.toLowerCase() === 'video/vp8'));
    await pc.setLocalDescription();
    await new Promise<void>((r) => (pc.iceGatheringState === 'complete' ? r() : pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r())));
    return { sdp: pc.localDescription!.sdp, videoMid: video.mid! };
  }, simulcastLayers(720));

  const candidates: Array<IceCandidate | null> = [];
  peer.on('candidate', (c) => candidates.push(c));
  const answer = await peer.answer(offer.sdp, [{ mid: offer.videoMid, source: 'camera' }]);
  await page.evaluate(async (sdp) => (window as unknown as { pc: RTCPeerConnection }).pc.setRemoteDescription({ type: 'answer', sdp }), answer);
  for (const c of candidates.splice(0)) if (c) await page.evaluate(async (c) => (window as unknown as { pc: RTCPeerConnection }).pc.addIceCandidate(c), c);

  const pubs: Publication[] = [];
  const counts = new Map<string, number>();
  let recording: { start: number; packets: Array<{ at: number; pub: number; length: number; padding?: number; hex: string }> } | undefined;
  peer.onRtp = (pub, bytes) => {
    counts.set(pub.id, (counts.get(pub.id) ?? 0) + 1);
    if (!recording) return;
    let index = pubs.indexOf(pub);
    if (index < 0) index = pubs.push(pub) - 1;
    const header = rtpHeaderLength(bytes);
    const kept = pub.kind === 'audio' ? bytes.length : Math.min(bytes.length, header + VIDEO_PAYLOAD_KEPT);
    // A padded packet's last byte counts its padding: kept apart, as the cut would lose it.
    const padding = bytes[0]! & 0x20 ? { padding: bytes[bytes.length - 1]! } : {};
    recording.packets.push({ at: Math.round((performance.now() - recording.start) * 10) / 10, pub: index, length: bytes.length, ...padding, hex: Buffer.from(bytes.subarray(0, kept)).toString('hex') });
  };

  // Wait for every layer: Chromium adds h and f as its bandwidth estimate grows.
  const deadline = performance.now() + 30_000;
  for (;;) {
    counts.clear();
    await sleep(1000);
    const layers = peer.publications().filter((p) => p.kind === 'video' && (counts.get(p.id) ?? 0) >= 10);
    process.stderr.write(`… flowing: ${[...counts].map(([id, n]) => `${id} ${n}/s`).join(', ')}\n`);
    if (layers.length === 3) break;
    if (performance.now() > deadline) throw new Error('Chromium did not send three video layers within 30 s');
  }

  recording = { start: performance.now(), packets: [] };
  for (const at of KEYFRAMES_AT_MS) {
    await sleep(at - (performance.now() - recording.start));
    for (const pub of peer.publications()) if (pub.kind === 'video') peer.requestKeyframe(pub);
  }
  await sleep(CAPTURE_MS - (performance.now() - recording.start));
  const { packets } = recording;
  recording = undefined;

  const capture = {
    about: `Captured by relay/sfu/testing/capture-chromium.ts: ${CAPTURE_MS} ms of what RelayPeer.onRtp handed the relay while Chromium published a fake microphone and a 1280x720 fake camera in three VP8 simulcast layers; keyframes requested from every video layer at ${KEYFRAMES_AT_MS.join(' and ')} ms. Video payloads cut to their first ${VIDEO_PAYLOAD_KEPT} bytes (length: the packet's real length; padding: a padded packet's last byte).`,
    chromium: browser.version(),
    cipher: await peer.srtpCipher(),
    publications: pubs.map((p) => ({ id: p.id.replace(/^chromium\//, ''), kind: p.kind, mid: p.mid, rid: p.rid ?? null, rids: p.rids, ssrc: p.ssrc ?? null, extensions: Object.fromEntries(p.extensions) })),
    packets,
  };
  // One packet a line: a diff of a new capture stays readable.
  const { packets: list, ...head } = capture;
  const text = JSON.stringify(head, null, 1).replace(/\n}$/, `,\n "packets": [\n${list.map((p) => `  ${JSON.stringify(p)}`).join(',\n')}\n ]\n}\n`);
  writeFileSync(values.out, text);
  const per = pubs.map((p, i) => `${p.rid ?? p.kind} ${packets.filter((x) => x.pub === i).length}`).join(', ');
  console.log(`wrote ${values.out}: ${packets.length} packets (${per}), Chromium ${capture.chromium}, ${capture.cipher}`);
} finally {
  peer.close();
  await browser.close();
  server.close();
}
