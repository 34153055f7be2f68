/**
 * Adapter between signalling sockets and the pure per-room machines (room-signalling.ts): it validates
 * every frame (protocol.ts), feeds the machine with the clock's `now`, and carries out the actions,
 * the relay's among them (relay-rooms.ts).
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../log.ts';
import type { RelayRoomOptions } from '../sfu/transport/relay-room.ts';
import { RelayRooms } from './relay-rooms.ts';
import { parseClientFrame } from './protocol.ts';
import type { ServerMessage } from './protocol.ts';
import { RoomSignalling, assertNever } from './room-signalling.ts';
import type { Action, Joiner, SignallingOptions } from './room-signalling.ts';
import { RateLimiter } from './rate-limiter.ts';

export type HubEvents = {
  /** A participant has no session left in the room (after leave, replacement or the grace period). */
  onLeft(roomId: string, participantId: string): void;
};

export type HubCounters = { accepted: number; rejected: Record<string, number>; forwarded: number };

export class SignalHub {
  readonly #rooms = new Map<string, RoomSignalling>();
  readonly #sockets = new Map<string, WebSocket>(); // key: room + ' ' + session
  /** Per session, not per socket, so reconnecting does not buy a fresh burst. */
  readonly #limits = new Map<string, RateLimiter>();
  readonly counters: HubCounters = { accepted: 0, rejected: {}, forwarded: 0 };
  readonly relays: RelayRooms;
  #closed = false;

  constructor(
    readonly options: SignallingOptions,
    readonly events: HubEvents,
    readonly log: Logger,
    readonly clock: () => number = Date.now,
    relay: RelayRoomOptions = {},
  ) {
    this.relays = new RelayRooms(relay, (roomId, sessionId, message) => this.#sendTo(roomId, sessionId, message), log);
  }

  /** Rooms with at least one session, and the number of sessions in each. */
  stats(): { rooms: number; sessions: number } {
    let sessions = 0;
    for (const r of this.#rooms.values()) sessions += r.size;
    return { rooms: this.#rooms.size, sessions };
  }

  participantCount(roomId: string): number {
    return new Set(this.#rooms.get(roomId)?.peers().map((p) => p.participantId)).size;
  }

  attach(roomId: string, joiner: Joiner, socket: WebSocket): void {
    if (this.#closed) {
      socket.close(1012, 'relay is shutting down');
      return;
    }
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = new RoomSignalling(roomId, this.options);
      this.#rooms.set(roomId, room);
    }
    const actions = room.connect(joiner, this.clock());
    const accepted = actions.some((a) => a.kind === 'send' && a.sessionId === joiner.sessionId && a.message.type === 'welcome');
    const key = `${roomId} ${joiner.sessionId}`;
    this.#run(roomId, actions, joiner.sessionId, socket);
    if (!accepted) {
      if (room.size === 0) this.#forget(roomId);
      return;
    }
    const stale = this.#sockets.get(key);
    this.#sockets.set(key, socket);
    if (stale && stale !== socket) stale.close(1000, 'superseded by a reconnect of the same session');
    if (!this.#limits.has(key)) this.#limits.set(key, new RateLimiter(200, 400));
    this.log.info('signal: session connected', { room: roomId, participant: joiner.participantId, session: joiner.sessionId });

    socket.on('message', (data, isBinary) => this.#onFrame(roomId, joiner.sessionId, socket, data, isBinary));
    socket.on('close', () => {
      if (this.#sockets.get(key) !== socket) return;
      this.#sockets.delete(key);
      const r = this.#rooms.get(roomId);
      if (r) this.#run(roomId, r.disconnect(joiner.sessionId, this.clock()));
    });
    socket.on('error', (err) => this.log.warn('signal: socket error', { room: roomId, error: err.message }));
  }

  #onFrame(roomId: string, sessionId: string, socket: WebSocket, data: unknown, isBinary: boolean): void {
    const room = this.#rooms.get(roomId);
    if (!room || this.#sockets.get(`${roomId} ${sessionId}`) !== socket) return;
    const limiter = this.#limits.get(`${roomId} ${sessionId}`);
    if (limiter && !limiter.take(this.clock())) {
      this.#reject(socket, 'rate-limited', 'too many messages: at most 200 per second');
      return;
    }
    const raw = frameBytes(data);
    const parsed = isBinary ? ({ ok: false, code: 'bad-message', message: 'binary frames are not accepted' } as const) : parseClientFrame(raw);
    if (!parsed.ok) {
      this.#reject(socket, parsed.code, parsed.message);
      return;
    }
    this.counters.accepted++;
    this.#run(roomId, room.receive(sessionId, parsed.message, this.clock()));
  }

  #reject(socket: WebSocket, code: Extract<ServerMessage, { type: 'error' }>['code'], message: string): void {
    this.counters.rejected[code] = (this.counters.rejected[code] ?? 0) + 1;
    send(socket, { type: 'error', code, message, fatal: false });
  }

  /** Time passed: drop sessions whose grace period ran out, forget empty rooms. */
  sweep(): void {
    const now = this.clock();
    for (const [id, room] of this.#rooms) {
      this.#run(id, room.sweep(now));
      if (room.size === 0) this.#forget(id);
    }
    for (const key of this.#limits.keys()) {
      const [roomId, sessionId] = key.split(' ') as [string, string];
      if (!this.#rooms.get(roomId)?.has(sessionId)) this.#limits.delete(key);
    }
  }

  #run(roomId: string, actions: Action[], pendingSession?: string, pendingSocket?: WebSocket): void {
    for (const action of actions) {
      const socket = (sid: string) => (sid === pendingSession ? pendingSocket : this.#sockets.get(`${roomId} ${sid}`));
      switch (action.kind) {
        case 'send': {
          const s = socket(action.sessionId);
          if (s) send(s, action.message);
          if (action.message.type === 'signal') this.counters.forwarded++;
          break;
        }
        case 'close': {
          const s = socket(action.sessionId);
          if (s) {
            if (s !== pendingSocket) this.#sockets.delete(`${roomId} ${action.sessionId}`);
            s.close(action.code, action.reason);
          }
          break;
        }
        case 'left':
          this.log.info('signal: participant left', { room: roomId, participant: action.participantId });
          this.events.onLeft(roomId, action.participantId);
          break;
        case 'relay-open':
          this.relays.open(roomId, action.epoch);
          break;
        case 'relay-close':
          this.relays.close(roomId);
          break;
        case 'relay-message':
          this.relays.handle(roomId, action.sessionId, action.message);
          break;
        case 'relay-leave':
          this.relays.leave(roomId, action.sessionId);
          break;
        case 'mode':
          this.log.info(`mode: ${action.from} -> ${action.to}`, { room: roomId, epoch: action.epoch });
          break;
        default:
          assertNever(action);
      }
    }
  }

  #sendTo(roomId: string, sessionId: string, message: ServerMessage): void {
    const s = this.#sockets.get(`${roomId} ${sessionId}`);
    if (s) send(s, message);
  }

  /** An empty room is forgotten, and its relay (if any) closed with it. */
  #forget(roomId: string): void {
    this.#rooms.delete(roomId);
    this.relays.close(roomId);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#sockets.values()) s.close(1012, 'relay restarting');
    this.#sockets.clear();
    this.#rooms.clear();
    this.relays.closeAll();
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function frameBytes(data: unknown): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data as Buffer;
}
