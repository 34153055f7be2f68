/**
 * ICE consent (RFC 7675) under a busy event loop: the relay stays connected while its process is
 * blocked most of the time.
 *
 * Consent expires 30 s after the last response to a consent check. werift waited only 0.5–1 s for each
 * response, and a blocked event loop runs its timers before it reads the socket, so every response
 * that sat in the socket while the loop was busy arrived "too late": a relay whose loop lagged over
 * 0.5 s for 30 s failed every connection, although every check was answered (bench/ rooms measured it
 * at 150 participants: a whole room's connections failed at once, and the clients rebuilding them
 * loaded the relay further). The patched werift (patches/) waits until the next check is due.
 *
 * Here two werift clients and the relay share one process, whose loop spends 900 ms of each pass on
 * other work for 36 s: every response on both sides is read ~0.9 s late. Both connections must stay up, and
 * media flow again once the loop is free. Runs in a loopback-only namespace like the other WebRTC tests.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RelayServerMessage } from './protocol.ts';
import { RelayRoom } from './relay-room.ts';
import { LOOPBACK_PEER_CONFIG, TestClient } from './test-client.ts';

const [A, B] = ['session-aaaa', 'session-bbbb'] as const;
const BUSY_MS = 900;
const BLOCKED_FOR_MS = 36_000;

async function until(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

test('connections outlive 36 s of an event loop that reads each consent response ~0.9 s late', async () => {
  const clients = new Map<string, TestClient>();
  const room = new RelayRoom('room-test', (sessionId, message: RelayServerMessage) => void clients.get(sessionId)?.receive(message).catch(() => {}), { peer: LOOPBACK_PEER_CONFIG });
  const failed: string[] = [];
  try {
    for (const [sessionId, tag] of [[A, 1], [B, 2]] as const) {
      const client = new TestClient(sessionId, tag);
      clients.set(sessionId, client);
      client.pc.onIceCandidate.subscribe((c) => {
        if (c) void room.handle(sessionId, { type: 'relay-candidate', candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } });
      });
      client.pc.connectionStateChange.subscribe((s) => s === 'failed' && failed.push(`client ${sessionId}`));
      await room.handle(sessionId, { type: 'relay-offer', sdp: await client.offer(), epoch: 1 });
    }
    const [a, b] = [clients.get(A)!, clients.get(B)!];
    await until('both connected', () => a.pc.connectionState === 'connected' && b.pc.connectionState === 'connected');
    for (const s of [A, B]) room.peer(s)!.on('connection-state', (state) => state === 'failed' && failed.push(`relay peer ${s}`));
    a.startPublishing();
    b.startPublishing();
    await until('media both ways', () => a.from(2, 'video').packets >= 10 && b.from(1, 'video').packets >= 10);

    // A loop that is always busy, as a relay's under load: after each pass over timers and sockets,
    // a 900 ms job (setImmediate). A response read in the next pass is ~900 ms old, and the pass
    // runs expired timers before it reads the socket.
    const end = Date.now() + BLOCKED_FOR_MS;
    await new Promise<void>((resolve) => {
      const burn = () => {
        const busyUntil = Date.now() + BUSY_MS;
        while (Date.now() < busyUntil) {}
        if (Date.now() < end) setImmediate(burn);
        else resolve();
      };
      setImmediate(burn);
    });

    const before = [a.from(2, 'video').packets, b.from(1, 'video').packets];
    await sleep(1500);
    const after = [a.from(2, 'video').packets, b.from(1, 'video').packets];
    console.log(`  after ${BLOCKED_FOR_MS / 1000} s blocked ${BUSY_MS} ms per pass of the event loop: ${failed.length ? failed.join(', ') + ' failed' : 'no connection failed'}; video in the next 1.5 s: ${after[0]! - before[0]!} and ${after[1]! - before[1]!} packets`);
    assert.equal(failed, [], 'no connection failed');
    assert.equal([a.pc.connectionState, b.pc.connectionState, room.size], ['connected', 'connected', 2]);
    assert.ok(after[0]! - before[0]! >= 20 && after[1]! - before[1]! >= 20, 'video flows both ways');
  } finally {
    for (const c of clients.values()) await c.close();
    room.close();
  }
});

test.run();
