/**
 * Names for the ui scenario's participants: distinct, deterministic, with the accents and shared
 * prefixes a real meeting has, so the search (case and accents ignored) finds a few of them, not one.
 */
const FIRST = ['Éloïse', 'Zoé', 'Bruno', 'Héloïse', 'Mateo', 'Amélie', 'Nguyễn', 'Søren', 'Ana', 'Marc', 'Fatima', 'Jürgen', 'Ines', 'Kwame', 'Léa', 'Oskar', 'Priya', 'Rafael', 'Chloé', 'Yusuf', 'Maria', 'Tomás', 'Aiko', 'Émile', 'Nora'];
const LAST = ['Martin', 'Dubois', 'García', 'Müller', 'Rossi', 'Nowak', 'Leroy', 'Sato', 'Okafor', 'Fernández', 'Martins', 'Lefèvre', 'Kowalski', 'Bernard', 'Haddad', 'Zhang', 'Moreau', 'Silva', 'Novák', 'Marchand'];

/** The `i`-th name (0 ≤ i < 500): every pair of first and last name once, spread so neighbours differ. */
export function rosterName(i: number): string {
  const k = (i * 7) % (FIRST.length * LAST.length);
  return `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length)]}`;
}

/** Typed letter by letter into the search: each matches a handful of the names above, one through its accents. */
export const SEARCHES = ['eloise', 'mart', 'zoe', 'nguy'];
