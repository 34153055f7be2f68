/**
 * Adapter between the signalling hub and the SFU: at most one RelayRoom per room, opened and closed
 * when the room's signalling machine says so (`relay-open` / `relay-close` actions), given the
 * relay-mode messages of its sessions, and sending its replies back through the hub's sockets. A
 * session's failure on the relay (an offer werift cannot answer…) becomes a non-fatal `relay-failed`
 * error to that session alone.
 */
import type { Logger } from '../log.ts';
import { RelayRoom } from '../sfu/transport/relay-room.ts';
import type { ReceivedPackets, RelayRoomOptions } from '../sfu/transport/relay-room.ts';
import type { RelayClientMessage, ServerMessage } from './protocol.ts';

export type SendToSession = (roomId: string, sessionId: string, message: ServerMessage) => void;

export class RelayRooms {
  readonly #rooms = new Map<string, RelayRoom>();
  readonly counters = { opened: 0, sessionErrors: 0 };
  /** RTP received by rooms already closed (received() adds the open ones'). */
  readonly #receivedClosed: ReceivedPackets = { audio: 0, video: 0, padding: 0 };

  constructor(
    readonly options: RelayRoomOptions,
    readonly send: SendToSession,
    readonly log: Logger,
  ) {}

  /** Rooms with a relay, and the relay connections (peers) in all of them. */
  stats(): { rooms: number; peers: number } {
    let peers = 0;
    for (const r of this.#rooms.values()) peers += r.size;
    return { rooms: this.#rooms.size, peers };
  }

  /** RTP packets received from publishers by every relay room since start (a counter: closed rooms included). */
  received(): ReceivedPackets {
    const sum = { ...this.#receivedClosed };
    for (const r of this.#rooms.values()) addReceived(sum, r.received);
    return sum;
  }

  has(roomId: string): boolean {
    return this.#rooms.has(roomId);
  }

  /** The room needs its relay at mode `epoch`: offers of older epochs are ignored from now on. */
  open(roomId: string, epoch: number): void {
    let room = this.#rooms.get(roomId);
    if (!room) {
      const created = new RelayRoom(roomId, (sessionId, message) => this.send(roomId, sessionId, message), this.options);
      created.on('session-error', (sessionId, err) => {
        this.counters.sessionErrors++;
        this.log.warn('relay: session failed', { room: roomId, session: sessionId, error: err.message });
        this.send(roomId, sessionId, { type: 'error', code: 'relay-failed', message: `the relay connection failed: ${err.message}`.slice(0, 300), fatal: false });
      });
      created.once('closed', () => {
        addReceived(this.#receivedClosed, created.received);
        if (this.#rooms.get(roomId) === created) this.#rooms.delete(roomId);
      });
      this.#rooms.set(roomId, created);
      this.counters.opened++;
      this.log.info('relay: room opened', { room: roomId, epoch });
      room = created;
    }
    room.setEpoch(epoch);
  }

  handle(roomId: string, sessionId: string, message: RelayClientMessage): void {
    const room = this.#rooms.get(roomId);
    // RelayRoom.handle reports a session's errors as 'session-error'; anything else is a relay bug.
    room?.handle(sessionId, message).catch((err: Error) => this.log.error('relay: unexpected failure', { room: roomId, error: err.message }));
  }

  leave(roomId: string, sessionId: string): void {
    this.#rooms.get(roomId)?.leave(sessionId);
  }

  close(roomId: string): void {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    this.log.info('relay: room closed', { room: roomId });
    room.close();
  }

  closeAll(): void {
    for (const room of [...this.#rooms.values()]) room.close();
  }
}

function addReceived(into: ReceivedPackets, from: ReceivedPackets): void {
  into.audio += from.audio;
  into.video += from.video;
  into.padding += from.padding;
}
