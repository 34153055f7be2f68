/**
 * The participants panel's list for rooms of up to 150: a search that ignores case and accents
 * ("eloise" finds "Éloïse", "ZOE" finds "Zoé"), raised hands first in the order they went up, then
 * ourselves, then everyone else by name.
 *
 * The panel works in three steps, so each change redoes only its own: the name order (a sort, when
 * someone joins, leaves or is renamed), the hands on top of it (linear, when a hand goes up or down)
 * and the search (a set of matching ids, when the query changes: rows that do not match are hidden,
 * not removed, so typing and clearing re-create no row). Each row's folded name is computed once.
 */
export type Listed = { participantId: string; name: string; self: boolean };

/** Lower case without diacritics (NFD, combining marks dropped), for matching. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** A copy sorted by name (case and accents ignored, numbers in numeric order). */
export function sortByName<P extends Listed>(list: readonly P[]): P[] {
  return [...list].sort((a, b) => collator.compare(a.name, b.name));
}

/**
 * Raised hands first in the order they went up (`handOrder`: participant ids), then ourselves, then
 * everyone else in the order of `byName`. Linear apart from sorting the raised hands.
 */
export function handsFirst<P extends Listed>(byName: readonly P[], handOrder: readonly string[]): P[] {
  const hand = new Map(handOrder.map((id, i) => [id, i]));
  const raised: P[] = [];
  const self: P[] = [];
  const rest: P[] = [];
  for (const p of byName) (hand.has(p.participantId) ? raised : p.self ? self : rest).push(p);
  raised.sort((a, b) => hand.get(a.participantId)! - hand.get(b.participantId)!);
  return [...raised, ...self, ...rest];
}

// Rows keep their object while unchanged (keepIdentity), so a name is folded once per row, not per keystroke.
const folded = new WeakMap<Listed, string>();
function foldedName(p: Listed): string {
  let f = folded.get(p);
  if (f === undefined) folded.set(p, (f = foldForSearch(p.name)));
  return f;
}

/** Ids of the participants whose name contains `query` (case and accents ignored); null when the query is empty. */
export function matchingIds(list: readonly Listed[], query: string): Set<string> | null {
  const q = foldForSearch(query);
  if (q === '') return null;
  return new Set(list.filter((p) => foldedName(p).includes(q)).map((p) => p.participantId));
}

/** The list as the panel shows it: the matching participants, hands first, then self, then by name. */
export function orderParticipants<P extends Listed>(list: readonly P[], handOrder: readonly string[], query: string): P[] {
  const matching = matchingIds(list, query);
  return handsFirst(sortByName(matching ? list.filter((p) => matching.has(p.participantId)) : list), handOrder);
}

/**
 * Keeps each row's object from the last update while its content is the same, so a keyed <For>
 * re-renders only the rows that changed (the session rebuilds its participant list on every change).
 */
export function keepIdentity<P extends Listed>(cache: Map<string, P>, list: readonly P[]): P[] {
  const seen = new Set<string>();
  const out = list.map((p) => {
    seen.add(p.participantId);
    const known = cache.get(p.participantId);
    if (known && known.name === p.name && known.self === p.self && sameRest(known, p)) return known;
    cache.set(p.participantId, p);
    return p;
  });
  for (const id of [...cache.keys()]) if (!seen.has(id)) cache.delete(id);
  return out;
}

function sameRest(a: object, b: object): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}
