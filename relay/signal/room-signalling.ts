/**
 * The signalling state of one room, as a pure machine: events in (a session connects, sends a validated
 * message, drops, time passes), actions out (send this frame to that session, close that session, this
 * participant has left). No sockets and no clock: the adapter (signal/hub.ts) does the I/O and passes `now`.
 *
 * Sessions, not sockets, are the unit: a session whose socket drops stays present for a grace period,
 * so a network blip or a relay restart does not tear down the peer links of everyone else. A new session
 * of the same participant (a reload, another tab) replaces the old one at once.
 *
 * The room's media path (room-media.ts) is updated on every join and leave and as time passes; its
 * `mode` messages are broadcast, and the relay-mode messages of sessions are handed to the room's
 * RelayRoom, which exists while the mode is anything but plain mesh (`relay-open`/`relay-close`).
 */
import type { ModeState } from '../mode/room-mode.ts';
import type { ClientMessage, ErrorCode, IceServer, ModeMessage, PeerInfo, RelayClientMessage, ServerMessage } from './protocol.ts';
import { CLOSE } from './protocol.ts';
import { RoomMedia, snapshot } from './room-media.ts';
import type { MediaOutcome } from './room-media.ts';

export type SignallingOptions = {
  meshMax: number;
  roomMax: number;
  iceServers: IceServer[];
  leaveGraceMs: number;
  /** Whether rooms may grow past meshMax and use the relay (else they stay in mesh, capped at meshMax). */
  relayAvailable: boolean;
  /** How long a room must stay small before it goes back to mesh (MODE_HOLD_MS). */
  modeHoldMs: number;
  switchTimeoutMs?: number;
};

export type Action =
  | { kind: 'send'; sessionId: string; message: ServerMessage }
  | { kind: 'close'; sessionId: string; code: number; reason: string }
  | { kind: 'left'; participantId: string }
  /** The room needs its RelayRoom, at this mode epoch: create it if absent, else update its epoch. */
  | { kind: 'relay-open'; epoch: number }
  | { kind: 'relay-close' }
  | { kind: 'relay-message'; sessionId: string; message: RelayClientMessage }
  /** The session left the room: its relay connection goes too. */
  | { kind: 'relay-leave'; sessionId: string }
  /** For the log: the media path changed. */
  | { kind: 'mode'; from: ModeState; to: ModeState; epoch: number };

type Session = PeerInfo & { connected: boolean; droppedAt: number };

export type Joiner = { participantId: string; sessionId: string; name: string };

export class RoomSignalling {
  readonly #sessions = new Map<string, Session>();
  readonly #media: RoomMedia;

  constructor(
    readonly roomId: string,
    readonly options: SignallingOptions,
  ) {
    this.#media = new RoomMedia(options);
  }

  /** The room's media path, as a client is told it. */
  mode(): ModeMessage {
    return this.#media.message();
  }

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
      if (this.#media.relayOpen) actions.push({ kind: 'relay-leave', sessionId: old.sessionId });
    }
    const session: Session = { ...joiner, joinedAt: now, connected: true, droppedAt: 0 };
    this.#sessions.set(session.sessionId, session);
    // Those already here learn of a mode change the newcomer causes before they learn of the newcomer:
    // told of it first, a client in a mesh starts a link to it (a new RTCPeerConnection, 40–135 ms of
    // each page's main thread in escalation.e2e.ts, the CPU the switch needs) that the switch then
    // closes unused. The newcomer learns the mode from its welcome, which comes after.
    actions.push(...this.#observe(now, session.sessionId));
    actions.push(...this.#broadcast({ type: 'peer-joined', peer: info(session) }, session.sessionId), this.#welcome(session));
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
        return [{ kind: 'close', sessionId, code: CLOSE.left, reason: 'left' }, ...this.#remove(from), ...this.#observe(now)];
      case 'mode-ack':
        return this.#act(this.#media.ack(sessionId, message.epoch, now));
      case 'relay-offer':
      case 'relay-candidate':
      case 'view':
        if (!this.#media.relayOpen) {
          return [{ kind: 'send', sessionId, message: error('wrong-mode', `${message.type} while the room is in plain mesh mode`, false) }];
        }
        return [{ kind: 'relay-message', sessionId, message }];
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
    return this.options.leaveGraceMs === 0 ? [...this.#remove(session), ...this.#observe(now)] : [];
  }

  /** Time passed: sessions gone longer than the grace period have left. */
  sweep(now: number): Action[] {
    const actions: Action[] = [];
    for (const s of [...this.#sessions.values()]) {
      if (!s.connected && now - s.droppedAt >= this.options.leaveGraceMs) actions.push(...this.#remove(s));
    }
    actions.push(...this.#observe(now));
    return actions;
  }

  #remove(session: Session): Action[] {
    this.#sessions.delete(session.sessionId);
    const actions = this.#broadcast({ type: 'peer-left', participantId: session.participantId, sessionId: session.sessionId });
    const stillHere = [...this.#sessions.values()].some((s) => s.participantId === session.participantId);
    if (!stillHere) actions.push({ kind: 'left', participantId: session.participantId });
    if (this.#media.relayOpen) actions.push({ kind: 'relay-leave', sessionId: session.sessionId });
    return actions;
  }

  /** Feeds the mode machine with who is here now; `except` is told by its welcome instead. */
  #observe(now: number, except?: string): Action[] {
    return this.#act(this.#media.update(snapshot(this.#sessions.values()), now), except);
  }

  /** The relay is opened before clients are told to use it, and closed after. */
  #act(outcome: MediaOutcome, except?: string): Action[] {
    const actions: Action[] = outcome.transitions.map((t) => ({ kind: 'mode', ...t }));
    if (outcome.relay?.kind === 'open') actions.push({ kind: 'relay-open', epoch: outcome.relay.epoch });
    for (const m of outcome.messages) actions.push(...this.#broadcast(m, except));
    if (outcome.relay?.kind === 'close') actions.push({ kind: 'relay-close' });
    return actions;
  }

  #broadcast(message: ServerMessage, except?: string): Action[] {
    return [...this.#sessions.values()]
      .filter((s) => s.connected && s.sessionId !== except)
      .map((s) => ({ kind: 'send', sessionId: s.sessionId, message }));
  }

  #welcome(self: Session): Action {
    return {
      kind: 'send',
      sessionId: self.sessionId,
      message: {
        type: 'welcome',
        self: info(self),
        peers: [...this.#sessions.values()].filter((s) => s.sessionId !== self.sessionId).map(info),
        mode: this.#media.message(),
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
