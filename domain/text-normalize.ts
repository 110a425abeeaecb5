/**
 * Shared, locale-independent text folding for the ownership matchers.
 * Deterministic: no Intl/locale-sensitive APIs beyond Unicode normalization.
 */

/** Letters that NFKD does not decompose into ASCII + combining mark. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Lowercase, strip diacritics ("José" → "jose"), map the few letters NFKD
 * leaves alone. Banks often return upper-case ASCII-only names while the
 * business may hold the accented spelling, so accents must not matter.
 */
export function foldText(input: string): string {
  const lower = input.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  let out = '';
  for (const ch of lower) out += SPECIAL_LETTERS[ch] ?? ch;
  return out;
}

/**
 * Fold, then split on anything that is not a letter or digit. Apostrophes are
 * deleted rather than split on so "O'Brien" and "OBrien" agree; every other
 * punctuation mark (hyphen, comma, period, slash) separates tokens.
 */
export function tokenize(input: string): string[] {
  return foldText(input)
    .replace(/['’‘`´]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** Classic Levenshtein distance (small inputs only: names/street tokens). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? Math.max(a.length, b.length);
}

/** True for a single-character-edit typo on tokens long enough that one edit is unlikely to be a different word. */
export function isLikelyTypo(a: string, b: string): boolean {
  return a !== b && Math.min(a.length, b.length) >= 5 && levenshtein(a, b) === 1;
}

/** Round to 4 decimals so threshold comparisons are not at the mercy of float noise. */
export function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
