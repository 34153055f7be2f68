/**
 * The relay transport end to end on loopback: werift clients (offering like the browser client) and a
 * RelayRoom of RelayPeers in the same process, signalling passed directly. Media is synthetic RTP.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { MediaStreamTrack } from 'werift';
import { parseCandidate } from './candidates.ts';
import type { RelayServerMessage } from './protocol.ts';
import { RelayRoom } from './relay-room.ts';
import type { RelayPeerOptions, SendPath } from './relay-peer.ts';
import { LOOPBACK_PEER_CONFIG, SEND_PATHS, simulcastOffer, TestClient } from './test-client.ts';

const SESSIONS = ['session-aaaa', 'session-bbbb', 'session-cccc', 'session-dddd'] as const;

async function waitFor(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A test that sends media runs once per send path (RelayRoomOptions.sendPath). */
function mediaTest(name: string, run: (sendPath: SendPath) => Promise<void>): void {
  for (const sendPath of SEND_PATHS) test(`[${sendPath}] ${name}`, () => run(sendPath));
}

function makeRoom(clients: Map<string, TestClient>, peer: RelayPeerOptions = LOOPBACK_PEER_CONFIG, sendPath?: SendPath) {
  const sent: Array<[string, RelayServerMessage]> = [];
  const room = new RelayRoom('room-test', (sessionId, message) => {
    sent.push([sessionId, message]);
    const client = clients.get(sessionId);
    if (client) void client.receive(message).catch((e) => console.error('client receive failed', e));
  }, { peer, sendPath });
  room.on('session-error', (s, e) => console.error('session error', s, e));
  return { room, sent };
}

async function join(room: RelayRoom, clients: Map<string, TestClient>, sessionId: string, tag: number): Promise<TestClient> {
  const client = new TestClient(sessionId, tag);
  clients.set(sessionId, client);
  client.pc.onIceCandidate.subscribe((c) => {
    if (c) void room.handle(sessionId, { type: 'relay-candidate', candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } });
  });
  await room.handle(sessionId, { type: 'relay-offer', sdp: await client.offer(), epoch: 1 });
  return client;
}

/** Every slot the client's last `slots` message fills, with the tag of whoever sits there. */
function seated(client: TestClient, tags: Map<string, number>, kind: 'audio' | 'video'): number[] {
  return (client.lastSlots?.[kind] ?? []).flatMap((s) => (s.sessionId ? [tags.get(s.sessionId) ?? -1] : [])).sort();
}

mediaTest('three clients exchange audio and video through slots; a leaver frees them, a newcomer fills them', async (sendPath) => {
  const clients = new Map<string, TestClient>();
  const { room } = makeRoom(clients, LOOPBACK_PEER_CONFIG, sendPath);
  const tags = new Map(SESSIONS.map((s, i) => [s, i + 1]));
  const [a, b, c, d] = SESSIONS;
  try {
    for (const s of [a, b, c]) await join(room, clients, s, tags.get(s)!);
    const [ca, cb, cc] = [clients.get(a)!, clients.get(b)!, clients.get(c)!];
    await waitFor('connections', () => [ca, cb, cc].every((x) => x.pc.connectionState === 'connected'));
    for (const x of [ca, cb, cc]) x.startPublishing();

    const others = (self: number, among: number[]) => among.filter((t) => t !== self).sort();
    await waitFor('slots filled', () => [ca, cb, cc].every((x) => seated(x, tags, 'audio').length === 2 && seated(x, tags, 'video').length === 2));
    for (const x of [ca, cb, cc]) {
      assert.equal(seated(x, tags, 'audio'), others(x.tag, [1, 2, 3]));
      assert.equal(seated(x, tags, 'video'), others(x.tag, [1, 2, 3]));
    }
    await waitFor('media from both others', () =>
      [ca, cb, cc].every((x) => others(x.tag, [1, 2, 3]).every((t) => x.from(t, 'audio').packets >= 10 && x.from(t, 'video').keyframes >= 1)),
    );
    for (const x of [ca, cb, cc]) {
      // Packets arrive in the slot the slots message names for their publisher, and nowhere else.
      for (const [mid, byTag] of x.received) {
        for (const tag of byTag.keys()) assert.is(x.occupant(mid), SESSIONS[tag - 1], `${x.sessionId} slot ${mid} got tag ${tag}`);
      }
      assert.is(x.from(x.tag, 'audio').packets, 0, 'nobody hears themselves');
      // The audio level crossed the relay, renumbered to the subscriber's extension id.
      for (const t of others(x.tag, [1, 2, 3])) assert.ok(x.from(t, 'audio').audioLevels.every((l) => l === t) && x.from(t, 'audio').audioLevels.length > 0);
    }
    assert.is(await room.peer(a)!.srtpCipher(), 'AEAD_AES_128_GCM');

    // c leaves: its seats at a and b are freed and nothing more arrives from it.
    room.leave(c);
    await cc.close();
    clients.delete(c);
    await waitFor('slots freed', () => [ca, cb].every((x) => seated(x, tags, 'audio').length === 1 && seated(x, tags, 'video').length === 1));
    await sleep(100);
    const after = [ca, cb].map((x) => x.from(3, 'audio').packets + x.from(3, 'video').packets);
    await sleep(300);
    assert.equal([ca, cb].map((x) => x.from(3, 'audio').packets + x.from(3, 'video').packets), after);

    // d joins and takes the free seats; everyone hears and sees everyone.
    const cd = await join(room, clients, d, 4);
    await waitFor('d connected', () => cd.pc.connectionState === 'connected');
    cd.startPublishing();
    await waitFor('seats refilled', () => [ca, cb, cd].every((x) => seated(x, tags, 'audio').length === 2 && seated(x, tags, 'video').length === 2));
    assert.equal(seated(ca, tags, 'video'), [2, 4]);
    assert.equal(seated(cd, tags, 'audio'), [1, 2]);
    await waitFor('media with d', () =>
      [ca, cb].every((x) => x.from(4, 'audio').packets >= 10 && x.from(4, 'video').keyframes >= 1) &&
      [1, 2].every((t) => cd.from(t, 'audio').packets >= 10 && cd.from(t, 'video').keyframes >= 1),
    );
  } finally {
    for (const x of clients.values()) await x.close();
    room.close();
  }
});

mediaTest('a re-offer adds and removes a screen share without renegotiating others; PLIs reach the publisher', async (sendPath) => {
  const clients = new Map<string, TestClient>();
  const { room, sent } = makeRoom(clients, LOOPBACK_PEER_CONFIG, sendPath);
  const [a, b] = SESSIONS;
  try {
    const ca = await join(room, clients, a, 1);
    let plis = 0;
    ca.video.sender.onPictureLossIndication.subscribe(() => plis++);
    const cb = await join(room, clients, b, 2);
    await waitFor('connections', () => [ca, cb].every((x) => x.pc.connectionState === 'connected'));
    ca.startPublishing();
    await waitFor('a keyframe request once a and b are connected', () => plis >= 1);
    await waitFor('camera at b', () => cb.from(1, 'video').packets >= 3);

    // b reports picture loss on the slot holding a's camera: the relay asks a (after the throttle).
    await sleep(500);
    const before = plis;
    const slot = cb.slots.video.find((t) => cb.occupant(t.mid!) === a)!;
    await slot.receiver.sendRtcpPLI(slot.receiver.tracks[0]!.ssrc!);
    await waitFor('PLI relayed', () => plis > before);

    // a starts a screen share: one re-offer by a; b's free video slot gets it, b doesn't renegotiate.
    const answersToB = sent.filter(([s, m]) => s === b && m.type === 'relay-answer').length;
    const screen = new MediaStreamTrack({ kind: 'video' });
    const share = ca.pc.addTransceiver(screen, { direction: 'sendonly' });
    await room.handle(a, { type: 'relay-offer', sdp: await ca.offer(), epoch: 1, videoSources: [{ mid: share.mid!, source: 'screen' }] });
    assert.equal(cb.lastSlots?.video.map((v) => [v.sessionId, v.source]), [[a, 'camera'], [a, 'screen']]);
    ca.pc.removeTrack(share.sender);
    await room.handle(a, { type: 'relay-offer', sdp: await ca.offer(), epoch: 1 });
    assert.equal(cb.lastSlots?.video.map((v) => [v.sessionId, v.source]), [[a, 'camera'], [null, null]]);
    assert.is(sent.filter(([s, m]) => s === b && m.type === 'relay-answer').length, answersToB);

    // An offer from an older epoch is ignored.
    room.setEpoch(2);
    const answers = sent.length;
    await room.handle(a, { type: 'relay-offer', sdp: await ca.offer(), epoch: 1 });
    assert.is(sent.length, answers);
  } finally {
    for (const x of clients.values()) await x.close();
    room.close();
  }
});

test('mDNS candidates are dropped, not resolved, and the connection still comes up', async () => {
  const clients = new Map<string, TestClient>();
  const { room } = makeRoom(clients);
  const mdns = 'candidate:9 1 udp 2113937151 6a1c3f3e-0000-4000-8000-000000000001.local 50000 typ host generation 0';
  try {
    const client = new TestClient(SESSIONS[0], 1);
    clients.set(SESSIONS[0], client);
    const sdp = (await client.offer()).replace(/(a=mid:0\r?\n)/, `$1a=${mdns}\r\n`);
    assert.match(sdp, /\.local/);
    await room.handle(SESSIONS[0], { type: 'relay-offer', sdp, epoch: 1 });
    await room.handle(SESSIONS[0], { type: 'relay-candidate', candidate: { candidate: mdns, sdpMid: '0', sdpMLineIndex: 0 } });
    await waitFor('connected', () => client.pc.connectionState === 'connected');
    // werift would have opened a multicast DNS socket (port 5353) to resolve the name.
    const udpPorts = (process as unknown as { _getActiveHandles(): Array<{ address?: () => { port?: number } }> })._getActiveHandles().map((h) => h.address?.().port);
    assert.not.ok(udpPorts.includes(5353));
  } finally {
    for (const x of clients.values()) await x.close();
    room.close();
  }
});

mediaTest('a simulcast camera becomes one publication per layer; the smallest goes to a client without a view, the full one to a large tile', async (sendPath) => {
  const clients = new Map<string, TestClient>();
  const { room } = makeRoom(clients, LOOPBACK_PEER_CONFIG, sendPath);
  const [a, b] = SESSIONS;
  try {
    const ca = new TestClient(a, 1);
    clients.set(a, ca);
    await room.handle(a, { type: 'relay-offer', sdp: simulcastOffer(await ca.offer(), ca.video.mid!, ['q', 'h', 'f']), epoch: 1 });
    const cb = await join(room, clients, b, 2);
    const camera = room.peer(a)!.publications().filter((p) => p.source === 'camera');
    assert.equal(camera.map((p) => [p.mid, p.rid, p.rids]), ['q', 'h', 'f'].map((rid) => [ca.video.mid, rid, ['q', 'h', 'f']]));
    await waitFor('connections', () => [ca, cb].every((x) => x.pc.connectionState === 'connected'));
    const layers = setInterval(() => ['q', 'h', 'f'].forEach((rid, i) => ca.writeLayer(rid, 10 + i)), 30);
    try {
      await waitFor('the low layer at b', () => cb.from(10, 'video').packets >= 10);
      assert.equal([cb.from(11, 'video').packets, cb.from(12, 'video').packets], [0, 0]);
      // b now draws a's camera large: the core switches it to the full layer (at its keyframe), in the same slot.
      await room.handle(b, { type: 'view', videos: [{ sessionId: a, source: 'camera', width: 1280, height: 720 }] });
      const low = cb.from(10, 'video').packets;
      await waitFor('the full layer at b', () => cb.from(12, 'video').packets >= 10);
      await sleep(100);
      const lowAfter = cb.from(10, 'video').packets;
      await sleep(200);
      assert.is(cb.from(10, 'video').packets, lowAfter, 'the low layer stopped');
      assert.ok(lowAfter - low < 10);
    } finally {
      clearInterval(layers);
    }
    assert.is(cb.from(11, 'video').packets, 0);
    assert.ok(camera.every((p) => p.ssrc !== undefined), 'layer SSRCs are learnt from their first packet');
  } finally {
    for (const x of clients.values()) await x.close();
    room.close();
  }
});

test('an offer werift cannot negotiate is reported and leaves no peer behind', async () => {
  const errors: string[] = [];
  const room = new RelayRoom('room-test', () => {}, { peer: LOOPBACK_PEER_CONFIG });
  room.on('session-error', (s) => errors.push(s));
  const pcmuOnly = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\n';
  await room.handle(SESSIONS[0], { type: 'relay-offer', sdp: pcmuOnly, epoch: 1 });
  await room.handle(SESSIONS[1], { type: 'relay-offer', sdp: 'v=0\r\nm=nonsense\r\n', epoch: 1 });
  assert.equal(errors, [SESSIONS[0], SESSIONS[1]]);
  assert.is(room.size, 0);
  room.close();
});

test('close() is idempotent: a peer and a room say closed once, and a closed room ignores messages', async () => {
  const room = new RelayRoom('room-test', () => {}, { peer: LOOPBACK_PEER_CONFIG });
  const client = new TestClient(SESSIONS[0], 1);
  await room.handle(SESSIONS[0], { type: 'relay-offer', sdp: await client.offer(), epoch: 1 });
  const peer = room.peer(SESSIONS[0])!;
  let peerClosed = 0;
  let roomClosed = 0;
  peer.on('closed', () => peerClosed++);
  room.on('closed', () => roomClosed++);
  room.close();
  room.close();
  peer.close();
  assert.equal([peerClosed, roomClosed, room.size], [1, 1, 0]);
  await room.handle(SESSIONS[1], { type: 'relay-offer', sdp: await client.offer(), epoch: 1 });
  assert.is(room.size, 0);
  await client.close();
});

test('the announced IP replaces the host candidates, and ICE still connects through it', async () => {
  const clients = new Map<string, TestClient>();
  const { room, sent } = makeRoom(clients, { ...LOOPBACK_PEER_CONFIG, announcedIp: '127.0.0.2', icePortRange: [40000, 40100] });
  try {
    const client = await join(room, clients, SESSIONS[0], 1);
    const answer = sent.find(([, m]) => m.type === 'relay-answer')?.[1];
    assert.ok(answer && answer.type === 'relay-answer');
    const candidates = answer.sdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:')).map((l) => parseCandidate(l)!);
    assert.ok(candidates.length > 0);
    for (const cand of candidates) {
      assert.is(cand.address, '127.0.0.2');
      assert.ok(cand.port >= 40000 && cand.port <= 40100, `port ${cand.port} in range`);
    }
    await waitFor('connected through the announced address', () => client.pc.connectionState === 'connected');
  } finally {
    for (const x of clients.values()) await x.close();
    room.close();
  }
});

test.run();
