/** Room ids are three groups of five lowercase letters (`abcde-fghij-klmno`): easy to read aloud. */
export const ROOM_ID = /^[a-z]{5}-[a-z]{5}-[a-z]{5}$/;

export function isRoomId(value: string): boolean {
  return ROOM_ID.test(value);
}

/**
 * Accepts what people paste into a "join" field: a bare id, a full meeting URL, or a host + path
 * without scheme. Tolerates surrounding spaces, upper case and a missing dash layout ("abcdefghijklmno").
 * Returns the room id, or null when the input is neither a link nor a code.
 */
export function parseRoomInput(input: string): string | null {
  const text = input.trim();
  if (text === '') return null;
  const bare = normalizeCode(text);
  if (bare) return bare;
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol)) return null;
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (segments.length !== 1) return null;
  return normalizeCode(decodeURIComponent(segments[0] ?? ''));
}

function normalizeCode(text: string): string | null {
  const lower = text.toLowerCase();
  if (isRoomId(lower)) return lower;
  if (/^[a-z]{15}$/.test(lower)) return `${lower.slice(0, 5)}-${lower.slice(5, 10)}-${lower.slice(10)}`;
  return null;
}

/** The room id a pathname points at (`/abcde-fghij-klmno`), or null for home and anything else. */
export function roomIdFromPath(pathname: string): string | null {
  const match = /^\/([^/]+)\/?$/.exec(pathname);
  if (!match || !match[1]) return null;
  return isRoomId(match[1]) ? match[1] : null;
}
