/**
 * Make-before-break on the client: which path's stream a remote tile shows while the room switches
 * between mesh and relay, and when the switch is done on this side. Pure.
 *
 * A tile shows the target path's stream once it has decoded a frame; until then it keeps the other
 * path's stream (which is still flowing), and falls back to the target's when the other has none.
 * The switch is done once every tile shows the target path (or shows nothing at all).
 */
export type MediaPath = 'mesh' | 'relay';
export type PathMedia = { has: boolean; decoding: boolean };

export function shownPath(target: MediaPath, media: Record<MediaPath, PathMedia>): MediaPath | null {
  const other: MediaPath = target === 'mesh' ? 'relay' : 'mesh';
  if (media[target].has && media[target].decoding) return target;
  if (media[other].has) return other;
  if (media[target].has) return target;
  return null;
}

export function switchDone(target: MediaPath, shown: ReadonlyArray<MediaPath | null>): boolean {
  return shown.every((p) => p === null || p === target);
}

/** The mode as this client tracks it; `null` before the welcome. */
export type ModeState = { path: MediaPath; warm: boolean; phase: 'switching' | 'settled'; epoch: number };

/** Whether a mode message is to be applied: mode messages of an older epoch are late, and ignored. */
export function isNewerMode(current: ModeState | null, next: ModeState): boolean {
  if (!current) return true;
  if (next.epoch !== current.epoch) return next.epoch > current.epoch;
  return next.path !== current.path || next.warm !== current.warm || next.phase !== current.phase;
}

/** Mesh links: the smaller session id offers, so two clients that switch back at once never both do. */
export function meshInitiator(self: string, remote: string): boolean {
  return self < remote;
}
