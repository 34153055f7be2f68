/**
 * The signalling state of one room, as a pure machine: events in (a session connects, sends a validated
 * message, drops, time passes), actions out (send this frame to that session, close that session, this
 * participant has left). No sockets and no clock: the adapter (signal/hub.ts) does the I/O and passes `now`.
 *
 * Sessions, not sockets, are the unit: a session whose socket drops stays present for a grace period,
 * so a network blip or a relay restart does not tear down the peer links of everyone else. A new session
 * of the same participant (a reload, another tab) replaces the old one at once.
 */
import type { ClientMessage, ErrorCode, IceServer, MediaMode, PeerInfo, ServerMessage } from './protocol.ts';
import { CLOSE } from './protocol.ts';

export type SignallingOptions = {
  meshMax: number;
  roomMax: number;
  iceServers: IceServer[];
  leaveGraceMs: number;
  /** Whether rooms may grow past meshMax (true once the relay can carry media). */
  relayAvailable: boolean;
};

export type Action =
  | { kind: 'send'; sessionId: string; message: ServerMessage }
  | { kind: 'close'; sessionId: string; code: number; reason: string }
  | { kind: 'left'; participantId: string };

type Session = PeerInfo & { connected: boolean; droppedAt: number };

export type Joiner = { participantId: string; sessionId: string; name: string };

export class RoomSignalling {
  readonly #sessions = new Map<string, Session>();
  readonly #mode: MediaMode = 'mesh';
  readonly #epoch = 1;

  constructor(
    readonly roomId: string,
    readonly options: SignallingOptions,
  ) {}

  get size(): number {
    return this.#sessions.size;
  }

  get capacity(): number {
    return this.options.relayAvailable ? this.options.roomMax : this.options.meshMax;
  }

  peers(): PeerInfo[] {
    return [...this.#sessions.values()].map(info);
  }

  has(sessionId: string): boolean {
    return this.#sessions.has(sessionId);
  }

  /** A socket opened for `joiner`. Returns the welcome, or a refusal when the room is full. */
  connect(joiner: Joiner, now: number): Action[] {
    const existing = this.#sessions.get(joiner.sessionId);
    if (existing) {
      if (existing.participantId !== joiner.participantId) {
        return refuse(joiner.sessionId, 'bad-message', 'session id belongs to another participant', CLOSE.forbidden);
      }
      existing.connected = true;
      return [this.#welcome(existing)];
    }
    const actions: Action[] = [];
    const previous = [...this.#sessions.values()].filter((s) => s.participantId === joiner.participantId);
    if (previous.length === 0 && this.#sessions.size >= this.capacity) {
      const message = this.options.relayAvailable
        ? `this meeting is full (${this.capacity} participants)`
        : `this meeting is limited to ${this.capacity} participants in peer-to-peer mode`;
      return refuse(joiner.sessionId, 'room-full', message, CLOSE.roomFull);
    }
    for (const old of previous) {
      this.#sessions.delete(old.sessionId);
      actions.push(
        { kind: 'send', sessionId: old.sessionId, message: error('replaced', 'this meeting was opened again elsewhere', true) },
        { kind: 'close', sessionId: old.sessionId, code: CLOSE.replaced, reason: 'replaced by a new session' },
        ...this.#broadcast({ type: 'peer-left', participantId: old.participantId, sessionId: old.sessionId }),
      );
    }
    const session: Session = { ...joiner, joinedAt: now, connected: true, droppedAt: 0 };
    actions.push(...this.#broadcast({ type: 'peer-joined', peer: info(session) }));
    this.#sessions.set(session.sessionId, session);
    actions.push(this.#welcome(session));
    return actions;
  }

  /** A validated message from a connected session. */
  receive(sessionId: string, message: ClientMessage, now: number): Action[] {
    const from = this.#sessions.get(sessionId);
    if (!from) return [];
    switch (message.type) {
      case 'signal': {
        const to = this.#sessions.get(message.to);
        if (!to || to.sessionId === sessionId || !to.connected) {
          return [{ kind: 'send', sessionId, message: error('unknown-peer', `no connected peer ${message.to} in this room`, false) }];
        }
        return [{ kind: 'send', sessionId: to.sessionId, message: { type: 'signal', from: sessionId, data: message.data } }];
      }
      case 'ping':
        return [{ kind: 'send', sessionId, message: message.id === undefined ? { type: 'pong', now } : { type: 'pong', id: message.id, now } }];
      case 'leave':
        return [{ kind: 'close', sessionId, code: CLOSE.left, reason: 'left' }, ...this.#remove(from)];
      default:
        return assertNever(message);
    }
  }

  /** The session's socket closed without a `leave`: it may come back within the grace period. */
  disconnect(sessionId: string, now: number): Action[] {
    const session = this.#sessions.get(sessionId);
    if (!session) return [];
    session.connected = false;
    session.droppedAt = now;
    return this.options.leaveGraceMs === 0 ? this.#remove(session) : [];
  }

  /** Time passed: sessions gone longer than the grace period have left. */
  sweep(now: number): Action[] {
    const actions: Action[] = [];
    for (const s of [...this.#sessions.values()]) {
      if (!s.connected && now - s.droppedAt >= this.options.leaveGraceMs) actions.push(...this.#remove(s));
    }
    return actions;
  }

  #remove(session: Session): Action[] {
    this.#sessions.delete(session.sessionId);
    const actions = this.#broadcast({ type: 'peer-left', participantId: session.participantId, sessionId: session.sessionId });
    const stillHere = [...this.#sessions.values()].some((s) => s.participantId === session.participantId);
    if (!stillHere) actions.push({ kind: 'left', participantId: session.participantId });
    return actions;
  }

  #broadcast(message: ServerMessage): Action[] {
    return [...this.#sessions.values()].filter((s) => s.connected).map((s) => ({ kind: 'send', sessionId: s.sessionId, message }));
  }

  #welcome(self: Session): Action {
    return {
      kind: 'send',
      sessionId: self.sessionId,
      message: {
        type: 'welcome',
        self: info(self),
        peers: [...this.#sessions.values()].filter((s) => s.sessionId !== self.sessionId).map(info),
        mode: this.#mode,
        epoch: this.#epoch,
        meshMax: this.options.meshMax,
        roomMax: this.options.roomMax,
        iceServers: this.options.iceServers,
      },
    };
  }
}

function info(s: PeerInfo): PeerInfo {
  return { participantId: s.participantId, sessionId: s.sessionId, name: s.name, joinedAt: s.joinedAt };
}

function error(code: ErrorCode, message: string, fatal: boolean): ServerMessage {
  return { type: 'error', code, message, fatal };
}

function refuse(sessionId: string, code: ErrorCode, message: string, closeCode: number): Action[] {
  return [
    { kind: 'send', sessionId, message: error(code, message, true) },
    { kind: 'close', sessionId, code: closeCode, reason: message.slice(0, 120) },
  ];
}

export function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
