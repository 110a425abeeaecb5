/**
 * Person-name normalisation and comparison for ownership checks.
 *
 * Banks return owner names in many shapes ("JANE A SMITH", "Smith, Jane",
 * "Dr. Jane Smith-Jones Jr."), while the business usually holds what the user
 * typed. We normalise both sides to comparable tokens and score agreement of
 * first name, last name and middle names separately, because they carry very
 * different evidence: a shared surname alone is what a family member (or a
 * spouse's account) looks like, so it must not count as a match.
 *
 * Nicknames (Bob/Robert, Liz/Elizabeth) are deliberately NOT equated: banks
 * hold legal names, nickname tables are culture-specific and create false
 * positives, and a nickname pair still lands in 'review' when the other fields
 * agree. Such pairs score as a surname-only agreement (mismatch).
 */
import { comparisonFromScore, type Comparison } from './match-types';
import { isLikelyTypo, tokenize } from './text-normalize';

/** Leading courtesy titles; they say nothing about identity. */
const HONORIFICS = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'rev', 'reverend', 'sir', 'dame', 'madam', 'mme', 'mlle', 'hon',
]);

/** Generational and professional suffixes; dropped because one side often omits them. */
const SUFFIXES = new Set([
  'jr', 'sr', 'junior', 'senior', 'ii', 'iii', 'iv', 'md', 'phd', 'esq', 'dds', 'dmd', 'dvm', 'cpa', 'jd', 'rn', 'mba',
]);

/**
 * Normalise a display name into ordered tokens in "given … family" order.
 * Returns null when nothing identifying is left (blank, or titles only).
 *
 * - "Smith, Jane A." → ["jane", "a", "smith"] (comma means "Family, Given");
 *   "Jane Smith, Jr." is recognised as a suffix after the comma, not a reorder.
 * - accents, case and punctuation are folded; hyphens split tokens.
 * - leading honorifics and any non-leading suffix tokens are removed.
 */
export function normalizeName(raw: string | null | undefined): string[] | null {
  if (raw == null) return null;
  const parts = raw.split(',').map((p) => tokenize(p)).filter((p) => p.length > 0);
  let tokens: string[];
  const [first, second, ...rest] = parts;
  if (first === undefined) return null;
  if (second !== undefined && !second.every((t) => SUFFIXES.has(t) || HONORIFICS.has(t))) {
    tokens = [...second, ...first, ...rest.flat()];
  } else {
    tokens = parts.flat();
  }
  while (tokens.length > 1 && HONORIFICS.has(tokens[0] ?? '')) tokens = tokens.slice(1);
  const kept = tokens.filter((t, i) => i === 0 || !SUFFIXES.has(t));
  return kept.length > 0 ? kept : null;
}

type Agreement = 'exact' | 'initial' | 'typo' | 'none';

function agree(a: string, b: string): Agreement {
  if (a === b) return 'exact';
  if ((a.length === 1 || b.length === 1) && a[0] === b[0]) return 'initial';
  if (isLikelyTypo(a, b)) return 'typo';
  return 'none';
}

/** Is `short` an in-order subsequence of `long`, token by token, with `ok` agreement? */
function isSubsequence(short: string[], long: string[], ok: (x: Agreement) => boolean): boolean {
  let j = 0;
  for (const s of short) {
    while (j < long.length && !ok(agree(s, long[j] ?? ''))) j++;
    if (j >= long.length) return false;
    j++;
  }
  return true;
}

type MiddleAgreement = 'same' | 'missing' | 'compatible' | 'conflict';

function middles(a: string[], b: string[]): MiddleAgreement {
  if (a.length === b.length && a.every((t, i) => t === b[i])) return 'same';
  if (a.length === 0 || b.length === 0) return 'missing';
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const ok = (x: Agreement) => x === 'exact' || x === 'initial';
  return isSubsequence(short, long, ok) ? 'compatible' : 'conflict';
}

/**
 * Scores by (first-name agreement × last-name agreement), adjusted for
 * middle names. Values ≥ 0.9 are matches, ≥ 0.5 partial (see match-types).
 */
const SCORE: Record<Agreement, Record<Agreement, number>> = {
  //         first:  exact  initial typo  none
  exact: { exact: 1.0, initial: 0.8, typo: 0.85, none: 0.2 },
  typo: { exact: 0.85, initial: 0.65, typo: 0.6, none: 0.1 },
  initial: { exact: 0.7, initial: 0.3, typo: 0.4, none: 0.0 },
  none: { exact: 0.3, initial: 0.0, typo: 0.1, none: 0.0 },
};

/** Compare two names whose tokens are already aligned as given … family. */
function compareOrdered(e: string[], a: string[]): number {
  if (e.length === 1 || a.length === 1) {
    // Mononym or truncated data: one shared token is weak evidence at best.
    const [single, other] = e.length === 1 ? [e, a] : [a, e];
    const s = single[0] ?? '';
    if (other.length === 1) return agree(s, other[0] ?? '') === 'typo' ? 0.8 : 0;
    return other.includes(s) ? 0.5 : 0;
  }
  const first = agree(e[0] ?? '', a[0] ?? '');
  const last = agree(e[e.length - 1] ?? '', a[a.length - 1] ?? '');
  let score = SCORE[last][first];

  const mid = middles(e.slice(1, -1), a.slice(1, -1));
  if (mid === 'missing' || mid === 'compatible') score = Math.min(score, 0.95);
  if (mid === 'conflict') score = Math.max(0, score - 0.4); // "John A Smith" vs "John B Smith": father/son?

  // Second family name dropped: "Maria Garcia Lopez" vs "Maria Garcia".
  if (last === 'none' && first === 'exact') {
    const [short, long] = e.length <= a.length ? [e, a] : [a, e];
    if (short.length < long.length && isSubsequence(short, long, (x) => x === 'exact')) score = Math.max(score, 0.8);
  }
  return score;
}

/** Rotations cover "SMITH JANE A" (family name first, no comma) from bank feeds. */
function orientations(tokens: string[]): string[][] {
  if (tokens.length < 2) return [tokens];
  const rotL = [...tokens.slice(1), tokens[0] ?? ''];
  const rotR = [tokens[tokens.length - 1] ?? '', ...tokens.slice(0, -1)];
  return [tokens, rotL, rotR];
}

/** Compare normalised names (see `normalizeName`); symmetric, best orientation wins. */
export function compareNames(expected: string[], actual: string[]): Comparison {
  if (expected.join(' ') === actual.join(' ')) return comparisonFromScore(1);
  // Same tokens in any order, or only spacing differs ("Mary Jane" / "Maryjane", "De La Cruz" / "Delacruz").
  if ([...expected].sort().join(' ') === [...actual].sort().join(' ')) return comparisonFromScore(1);
  if (expected.join('') === actual.join('')) return comparisonFromScore(1);
  // Rotate one side at a time (never both), which keeps the comparison symmetric.
  let best = 0;
  for (const a of orientations(actual)) best = Math.max(best, compareOrdered(expected, a));
  for (const e of orientations(expected)) best = Math.max(best, compareOrdered(e, actual));
  return comparisonFromScore(best);
}
