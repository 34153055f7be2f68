/**
 * The media side of one room's signalling, pure: the room's RoomMode (relay/mode/room-mode.ts) fed
 * with snapshots of who is present, and the one decision the relay acts on: whether the room needs its
 * RelayRoom. It does as soon as the mode leaves plain `mesh` (warm clients open their relay connection
 * ahead of the switch) and until it cools back to plain mesh or the room empties.
 *
 * Without a relay (`relayAvailable: false`) the room stays in settled mesh at epoch 0 and never opens one.
 */
import { thresholdPolicy } from '../mode/policy.ts';
import { RoomMode } from '../mode/room-mode.ts';
import type { ModeMessage, ModeState, RoomSnapshot } from '../mode/room-mode.ts';

export type MediaOptions = {
  meshMax: number;
  /** How long a room must stay small before it goes back to mesh (and a warm room cools). */
  modeHoldMs: number;
  relayAvailable: boolean;
  /** A switch completes without the acks of sessions that have not sent theirs by then. */
  switchTimeoutMs?: number;
};

export type Transition = { from: ModeState; to: ModeState; epoch: number };

/** What to do after a change: broadcast `messages`, then open (or re-epoch) or close the relay. */
export type MediaOutcome = {
  messages: ModeMessage[];
  /** `open`: the room needs its relay at `epoch` (create it if absent); `close`: it no longer does. */
  relay: { kind: 'open'; epoch: number } | { kind: 'close' } | undefined;
  transitions: Transition[];
};

const SETTLED_MESH: ModeMessage = { type: 'mode', path: 'mesh', warm: false, phase: 'settled', epoch: 0 };

export class RoomMedia {
  readonly #mode: RoomMode | undefined;
  #relayOpen = false;
  #empty = true;
  #transitions: Transition[] = [];

  constructor(options: MediaOptions) {
    if (!options.relayAvailable) return;
    const policy = thresholdPolicy({ meshMax: options.meshMax, holdMs: options.modeHoldMs });
    this.#mode = new RoomMode(policy, options.switchTimeoutMs, (from, to, epoch) => this.#transitions.push({ from, to, epoch }));
  }

  /** The current mode, as the welcome carries it. */
  message(): ModeMessage {
    return this.#mode?.message() ?? SETTLED_MESH;
  }

  get state(): ModeState {
    return this.#mode?.state ?? 'mesh';
  }

  get relayOpen(): boolean {
    return this.#relayOpen;
  }

  /** Someone joined or left, or time passed. */
  update(room: RoomSnapshot, now: number): MediaOutcome {
    this.#empty = room.sessions.length === 0;
    return this.#outcome(this.#mode?.update(room, now) ?? []);
  }

  /** A session finished the switch of `epoch`; acks of another epoch are ignored. */
  ack(sessionId: string, epoch: number, now: number): MediaOutcome {
    return this.#outcome(this.#mode?.ack(sessionId, epoch, now) ?? []);
  }

  #outcome(messages: ModeMessage[]): MediaOutcome {
    const transitions = this.#transitions;
    this.#transitions = [];
    const wanted = !this.#empty && this.message().warm;
    let relay: MediaOutcome['relay'];
    if (wanted && (!this.#relayOpen || messages.length > 0)) relay = { kind: 'open', epoch: this.message().epoch };
    else if (!wanted && this.#relayOpen) relay = { kind: 'close' };
    this.#relayOpen = wanted;
    return { messages, relay, transitions };
  }
}

/** What RoomMode is fed: every session present (dropped ones too, within their grace period) and the distinct participants. */
export function snapshot(sessions: Iterable<{ sessionId: string; participantId: string }>, serverMedia = false): RoomSnapshot {
  const list = [...sessions];
  return { sessions: list.map((s) => s.sessionId), participants: new Set(list.map((s) => s.participantId)).size, serverMedia };
}
