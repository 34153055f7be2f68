/**
 * What a `room-full` refusal says, so the end screen can say it in the user's language. The relay's
 * message names the limit and whether it is the peer-to-peer cap (RELAY_MODE off: MESH_MAX) or the
 * room's own (ROOM_MAX): "this meeting is limited to 4 participants in peer-to-peer mode" or "this
 * meeting is full (150 participants)".
 */
export type RoomFull = { limit: number | null; peerToPeer: boolean };

export function parseRoomFull(message: string | undefined, fallbackMeshMax: number): RoomFull {
  const text = message ?? '';
  const limit = /(\d+)\s+participants/.exec(text);
  const n = limit ? Number(limit[1]) : null;
  if (/peer-to-peer/i.test(text)) return { limit: n, peerToPeer: true };
  if (n !== null) return { limit: n, peerToPeer: false };
  // An older relay, or no message: the mesh cap is the one we know of.
  return { limit: fallbackMeshMax, peerToPeer: !message };
}
