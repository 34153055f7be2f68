/**
 * Test helper: a real RelayRoom with werift TestClients, wired as the signalling server wires them:
 * the room's messages go to each client, each client's trickled candidates to the room. The
 * integration tests build on it; what they assert stays in them.
 */
import { waitUntil } from '../../test/wait.ts';
import { RelayRoom } from './relay-room.ts';
import type { RelayRoomOptions } from './relay-room.ts';
import { LOOPBACK_PEER_CONFIG, TestClient } from './test-client.ts';

export type ClientSpec = {
  id: string;
  tag: number;
  slots?: { audio: number; video: number };
  media?: TestClient['media'];
};

export class TestRoom {
  readonly room: RelayRoom;
  readonly clients = new Map<string, TestClient>();
  /** The last relay answer each session got. */
  readonly answers = new Map<string, string>();

  /** A room on loopback (`options.peer` defaults to LOOPBACK_PEER_CONFIG). */
  constructor(name: string, options: RelayRoomOptions = {}) {
    this.room = new RelayRoom(name, (sessionId, message) => {
      if (message.type === 'relay-answer') this.answers.set(sessionId, message.sdp);
      void this.clients.get(sessionId)?.receive(message).catch((e) => console.error('client receive failed', e));
    }, { ...options, peer: options.peer ?? LOOPBACK_PEER_CONFIG });
    this.room.on('session-error', (s, e) => console.error('session error', s, e));
  }

  /** A new client that trickles its candidates to the room and sends its first offer. */
  async join(spec: ClientSpec): Promise<TestClient> {
    const client = new TestClient(spec.id, spec.tag, spec.slots, spec.media);
    this.clients.set(spec.id, client);
    client.pc.onIceCandidate.subscribe((c) => {
      if (c) void this.room.handle(spec.id, { type: 'relay-candidate', candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } });
    });
    await this.room.handle(spec.id, { type: 'relay-offer', sdp: await client.offer(), epoch: 1 });
    return client;
  }

  /** Waits until every client's connection is up. */
  async connected(timeoutMs = 15_000): Promise<void> {
    const all = [...this.clients.values()];
    await waitUntil(() => all.every((c) => c.pc.connectionState === 'connected'), timeoutMs, `${all.length} connections`, () => all.map((c) => `${c.sessionId} ${c.pc.connectionState}`).join(', '));
  }

  async close(): Promise<void> {
    for (const c of this.clients.values()) await c.close();
    this.room.close();
  }
}
