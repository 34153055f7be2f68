/**
 * The paged grid of a large room, as pure decisions: which tiles are on which page, where the active
 * speaker goes, which page we are on once people have left. No DOM, no clock: the store
 * (stores/pages.ts) passes the previous order and when each speaker last held the floor.
 *
 * - Pinned tiles (our own camera, every screen share) head every page and count towards its size, so
 *   we always see ourselves and what is being presented; the other tiles fill the rest of the page.
 * - The order of the other tiles is kept from one update to the next (newcomers at the end, leavers
 *   removed), so nobody moves because someone else joined: a tile changes page only when it must.
 * - The active speaker, when not on the first page, swaps places with the first-page tile whose
 *   speaker held the floor least recently (the last of them on a tie). Everyone else stays put, and
 *   two people taking turns from other pages don't push each other off (they both spoke recently).
 */

/** Most tiles on one page: the relay seats at most this many video slots (lib/relaySlots.ts). */
export const PAGE_SIZE = 25;
/** Smallest page size the `pageSize` knob accepts: a pinned self view and one other tile. */
export const MIN_PAGE_SIZE = 2;

export type PagedTile = { key: string; sessionId: string; pinned: boolean };

export type PagingInput<T extends PagedTile> = {
  tiles: readonly T[];
  /** Keys of the unpinned tiles in their order at the last update. */
  previousOrder: readonly string[];
  /** The page asked for (0-based); clamped to the pages there are. */
  page: number;
  pageSize: number;
  /** Session id of the active speaker, or null. */
  speaker: string | null;
  /** Session id → when that speaker last held the floor (any clock, larger is later). */
  lastSpoke: ReadonlyMap<string, number>;
};

export type PagingResult<T> = { order: string[]; page: number; pages: number; visible: T[] };

/** Unpinned keys in their previous order, leavers dropped, newcomers appended in arrival order. */
export function keepOrder(previous: readonly string[], present: readonly string[]): string[] {
  const here = new Set(present);
  const kept = previous.filter((k) => here.has(k));
  const known = new Set(kept);
  return [...kept, ...present.filter((k) => !known.has(k))];
}

/** Moves `speakerKey` onto the first `perPage` places if it is not there (see the header). */
export function promote(order: readonly string[], speakerKey: string | null, perPage: number, lastSpoke: (key: string) => number): string[] {
  const at = speakerKey === null ? -1 : order.indexOf(speakerKey);
  if (at < perPage) return [...order]; // absent (-1) or already on the first page
  let victim = 0;
  for (let i = 1; i < perPage && i < order.length; i++) {
    if (lastSpoke(order[i]!) <= lastSpoke(order[victim]!)) victim = i;
  }
  const next = [...order];
  [next[victim], next[at]] = [next[at]!, next[victim]!];
  return next;
}

export function clampPage(page: number, pages: number): number {
  if (!Number.isFinite(page)) return 0;
  return Math.min(Math.max(0, Math.trunc(page)), Math.max(0, pages - 1));
}

export function paginate<T extends PagedTile>(input: PagingInput<T>): PagingResult<T> {
  const pinned = input.tiles.filter((t) => t.pinned);
  const byKey = new Map(input.tiles.filter((t) => !t.pinned).map((t) => [t.key, t]));
  const perPage = Math.max(1, input.pageSize - pinned.length);
  const speakerKey = input.speaker === null ? null : ([...byKey.values()].find((t) => t.sessionId === input.speaker)?.key ?? null);
  const sessionOf = (key: string) => byKey.get(key)?.sessionId ?? '';
  const order = promote(keepOrder(input.previousOrder, [...byKey.keys()]), speakerKey, perPage, (key) => input.lastSpoke.get(sessionOf(key)) ?? -Infinity);
  const pages = Math.max(1, Math.ceil(order.length / perPage));
  const page = clampPage(input.page, pages);
  const visible = [...pinned, ...order.slice(page * perPage, (page + 1) * perPage).map((k) => byKey.get(k)!)];
  return { order, page, pages, visible };
}

/**
 * The page size for this page load: `?pageSize=N` in the room link (a test and development knob, e.g.
 * to see paging with four people), clamped to MIN_PAGE_SIZE…PAGE_SIZE; PAGE_SIZE otherwise.
 */
export function pageSizeFrom(search: string): number {
  const raw = new URLSearchParams(search).get('pageSize');
  const n = raw === null ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? Math.min(PAGE_SIZE, Math.max(MIN_PAGE_SIZE, n)) : PAGE_SIZE;
}
