/**
 * The media path of one room as a visible state machine (STYLE §7): a union of states, one transition
 * table, one `setState` that ignores no-op changes, logs `from -> to` and bumps the epoch.
 *
 *   mesh ──warm──▶ mesh-warm ──escalate──▶ escalating ──all switched──▶ relay
 *     ▲              │  ▲                     │  ▲                          │
 *     └────cool──────┘  └──all switched── de-escalating ◀──de-escalate──────┘
 *
 * Every switch is make-before-break on the clients: they bring up the new path, show its media once
 * frames decode, close the old one, then acknowledge with the switch's epoch. The switch is complete
 * when every session that was present when it began has acknowledged (or left), or after a timeout.
 * Mode messages carry the epoch, so a client ignores a late message from an older switch.
 * Pure: the caller passes observations and `now`, and broadcasts the messages this returns.
 */
import type { EscalationPolicy, MediaPath } from './policy.ts';

export type ModeState = 'mesh' | 'mesh-warm' | 'escalating' | 'relay' | 'de-escalating';

const TRANSITIONS: Record<ModeState, readonly ModeState[]> = {
  mesh: ['mesh-warm', 'escalating'],
  'mesh-warm': ['mesh', 'escalating'],
  escalating: ['relay', 'de-escalating'],
  relay: ['de-escalating'],
  'de-escalating': ['mesh-warm', 'escalating'],
};

/** What every client is told: the path to use, whether to keep a warm relay connection, and the phase. */
export type ModeMessage = { type: 'mode'; path: MediaPath; warm: boolean; phase: 'switching' | 'settled'; epoch: number };

export type RoomSnapshot = { sessions: readonly string[]; participants: number; serverMedia: boolean };

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
}

export class RoomMode {
  #state: ModeState = 'mesh';
  #epoch = 0;
  #waitingFor = new Set<string>();
  #switchStartedAt = 0;
  #smallSince: number | null = null;
  #coolSince: number | null = null;
  #last: RoomSnapshot = { sessions: [], participants: 0, serverMedia: false };

  constructor(
    readonly policy: EscalationPolicy,
    readonly switchTimeoutMs = 15_000,
    readonly onTransition: (from: ModeState, to: ModeState, epoch: number) => void = () => {},
  ) {}

  get state(): ModeState {
    return this.#state;
  }

  get epoch(): number {
    return this.#epoch;
  }

  message(): ModeMessage {
    const s = this.#state;
    return {
      type: 'mode',
      path: s === 'escalating' || s === 'relay' ? 'relay' : 'mesh',
      warm: s !== 'mesh',
      phase: s === 'escalating' || s === 'de-escalating' ? 'switching' : 'settled',
      epoch: this.#epoch,
    };
  }

  /** The room changed (someone joined or left, recording started…) or time passed. */
  update(room: RoomSnapshot, now: number): ModeMessage[] {
    this.#last = room;
    const present = new Set(room.sessions);
    for (const s of this.#waitingFor) if (!present.has(s)) this.#waitingFor.delete(s);
    this.#smallSince = this.policy.needsRelay(room.participants, room.serverMedia) ? null : (this.#smallSince ?? now);
    this.#coolSince = this.policy.worthWarming(room.participants) ? null : (this.#coolSince ?? now);

    if (this.#state === 'escalating' || this.#state === 'de-escalating') {
      if (this.#waitingFor.size === 0 || now - this.#switchStartedAt >= this.switchTimeoutMs) {
        return [...this.#set(this.#state === 'escalating' ? 'relay' : 'mesh-warm', now), ...this.update(room, now)];
      }
      // Mid-switch the policy is not asked, except that the way back to mesh turns round at once
      // when the room needs the relay again (the clients still hold their relay connections).
      const reverse = this.#state === 'de-escalating' && this.policy.needsRelay(room.participants, room.serverMedia);
      return reverse ? this.#set('escalating', now) : [];
    }
    const decision = this.policy.decide(
      {
        participants: room.participants,
        serverMedia: room.serverMedia,
        path: this.message().path,
        warm: this.#state !== 'mesh',
        smallSince: this.#smallSince,
        coolSince: this.#coolSince,
      },
      now,
    );
    switch (decision) {
      case 'stay':
        return [];
      case 'warm':
        return this.#set('mesh-warm', now);
      case 'cool':
        return this.#set('mesh', now);
      case 'escalate':
        return this.#set('escalating', now);
      case 'de-escalate':
        return this.#set('de-escalating', now);
    }
  }

  /** A client finished the switch of `epoch` (acks of older switches are ignored). */
  ack(sessionId: string, epoch: number, now: number): ModeMessage[] {
    if (epoch !== this.#epoch || !this.#waitingFor.delete(sessionId)) return [];
    return this.update(this.#last, now);
  }

  #set(next: ModeState, now: number): ModeMessage[] {
    if (next === this.#state) return [];
    if (!TRANSITIONS[this.#state].includes(next)) throw new InvalidTransitionError(`${this.#state} -> ${next}`);
    const from = this.#state;
    this.#state = next;
    this.#epoch++;
    if (next === 'escalating' || next === 'de-escalating') {
      this.#waitingFor = new Set(this.#last.sessions);
      this.#switchStartedAt = now;
    } else this.#waitingFor.clear();
    this.onTransition(from, next, this.#epoch);
    return [this.message()];
  }
}
