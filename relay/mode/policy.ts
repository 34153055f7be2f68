/**
 * When a room should use which media path: the escalation policy (STYLE §9: a tiny interface, a function
 * of what is observed to a decision, tested alone).
 *
 * - mesh while participants ≤ meshMax and nothing needs server-side media;
 * - warm (clients open an idle relay connection: ICE + DTLS, no media) as soon as the room reaches
 *   meshMax, so that the switch, when a next participant arrives, costs no handshake;
 * - relay as soon as participants > meshMax or recording/transcription is on;
 * - back to mesh only after the room has stayed small (and without server media) for `holdMs`, which
 *   absorbs reloads and someone stepping out for a moment; warm connections are dropped after the same hold.
 */
export type MediaPath = 'mesh' | 'relay';

export type RoomObservation = {
  participants: number;
  /** Recording or transcription is running: the relay must see the media. */
  serverMedia: boolean;
  /** The path the room uses now (or is switching to). */
  path: MediaPath;
  warm: boolean;
  /** Since when the room has been small enough for mesh (null while it is not). */
  smallSince: number | null;
  /** Since when the room has been below the warm-up threshold (null while it is not). */
  coolSince: number | null;
};

export type PathDecision = 'stay' | 'warm' | 'cool' | 'escalate' | 'de-escalate';

export interface EscalationPolicy {
  /** Whether the room, as it is now, needs the relay (the clock for `smallSince` starts when it stops). */
  needsRelay(participants: number, serverMedia: boolean): boolean;
  /** Whether a warm relay connection is worth keeping (the clock for `coolSince` starts when it stops). */
  worthWarming(participants: number): boolean;
  decide(room: RoomObservation, now: number): PathDecision;
}

export type EscalationSettings = { meshMax: number; holdMs: number };

export function thresholdPolicy(settings: EscalationSettings): EscalationPolicy {
  const { meshMax, holdMs } = settings;
  const needsRelay = (participants: number, serverMedia: boolean) => participants > meshMax || serverMedia;
  const worthWarming = (participants: number) => participants >= meshMax;
  return {
    needsRelay,
    worthWarming,
    decide(room, now) {
      if (room.path === 'mesh') {
        if (needsRelay(room.participants, room.serverMedia)) return 'escalate';
        if (!room.warm && worthWarming(room.participants)) return 'warm';
        if (room.warm && room.coolSince !== null && now - room.coolSince >= holdMs) return 'cool';
        return 'stay';
      }
      if (!needsRelay(room.participants, room.serverMedia) && room.smallSince !== null && now - room.smallSince >= holdMs) return 'de-escalate';
      return 'stay';
    },
  };
}
