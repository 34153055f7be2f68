/**
 * The participants panel's list for rooms of up to 150: a search that ignores case and accents
 * ("eloise" finds "Éloïse", "ZOE" finds "Zoé"), raised hands first in the order they went up, then
 * ourselves, then everyone else by name. Pure and O(n log n) per update, with each name folded once.
 */
export type Listed = { participantId: string; name: string; self: boolean };

/** Lower case without diacritics (NFD, combining marks dropped), for matching. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** `handOrder`: participant ids with a raised hand, in the order the hands went up. */
export function orderParticipants<P extends Listed>(list: readonly P[], handOrder: readonly string[], query: string): P[] {
  const q = foldForSearch(query);
  const matching = q === '' ? [...list] : list.filter((p) => foldForSearch(p.name).includes(q));
  const hand = new Map(handOrder.map((id, i) => [id, i]));
  const rank = (p: P) => hand.get(p.participantId) ?? (p.self ? handOrder.length : handOrder.length + 1);
  return matching.sort((a, b) => rank(a) - rank(b) || collator.compare(a.name, b.name));
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
