/**
 * The rooms benchmark's presets (issue 4): who publishes what and what each participant shows.
 * `fanout` (one publisher → N subscribers, raising the rate until loss > 1 %) is its own scenario,
 * bench/fanout/.
 */
export type RoomPreset = {
  name: string;
  participants: number;
  /** Everyone publishes a simulcast camera too. */
  video: boolean;
  /** Video slots each participant offers and fills with its first others (`view`). */
  tiles: number;
  /** How many participants talk (loud, voice bit); the rest are near silent. */
  talkers: number;
};

export const ROOM_PRESETS: readonly RoomPreset[] = [
  { name: 'audio-150', participants: 150, video: false, tiles: 0, talkers: 3 },
  { name: 'meeting-25', participants: 25, video: true, tiles: 24, talkers: 3 },
  { name: 'meeting-150', participants: 150, video: true, tiles: 25, talkers: 3 },
];

/** A preset scaled to `participants` (tiles never more than the others). */
export function sized(preset: RoomPreset, participants: number): RoomPreset {
  return { ...preset, participants, tiles: Math.min(preset.tiles, participants - 1), talkers: Math.min(preset.talkers, participants) };
}
