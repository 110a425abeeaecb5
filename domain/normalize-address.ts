/**
 * US postal-address normalisation and comparison for ownership checks.
 *
 * Stripe's `raw_address` is one unstructured string exactly as the bank holds
 * it, e.g. "510 Townsend San Francisco, CA 94103" (note: no street suffix, no
 * comma before the city). So we cannot rely on structure; we compare token
 * multisets after mapping both sides to one canonical vocabulary (USPS
 * abbreviations, state codes, 5-digit ZIP), and then apply a few structural
 * vetoes that token overlap alone would miss (different house number, ZIP,
 * street name or unit).
 */
import { COUNTRY_PHRASES, US_STATES, WORD_ABBREVIATIONS } from './address-abbreviations';
import { comparisonFromScore, type Comparison } from './match-types';
import { isLikelyTypo, tokenize } from './text-normalize';

export type StructuredAddress = {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
};

export type AddressInput = string | StructuredAddress;

export type NormalizedAddress = {
  /** Canonical tokens, excluding the unit designator and its value. */
  tokens: string[];
  /** House number (or "box:N" for PO boxes): the first token when it contains a digit. */
  houseNumber: string | null;
  /** First significant street-name token after the house number (directionals skipped). */
  streetKey: string | null;
  /** 5-digit ZIP (ZIP+4 truncated: one side often omits the +4). */
  zip: string | null;
  /** Apartment/suite/unit value ("4b"), whatever designator was used. */
  unit: string | null;
};

const DIRECTIONALS = new Set(['n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw']);

function replacePhrase(tokens: string[], phrase: readonly string[], replacement: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    if (phrase.every((p, k) => tokens[i + k] === p)) {
      out.push(replacement);
      i += phrase.length;
    } else {
      out.push(tokens[i] ?? '');
      i++;
    }
  }
  return out;
}

/** Returns null when the input is blank. */
export function normalizeAddress(raw: AddressInput | null | undefined): NormalizedAddress | null {
  if (raw == null) return null;
  const text =
    typeof raw === 'string'
      ? raw
      : [raw.line1, raw.line2, raw.city, raw.state, raw.postalCode, raw.country].filter((p) => p != null && p !== '').join(', ');

  const prepared = text
    .replace(/#/g, ' unit ') // "#4B" is a unit designator, which tokenize would otherwise drop
    .replace(/\b(\d{5})-\d{4}\b/g, '$1'); // ZIP+4 → ZIP
  let tokens = tokenize(prepared).map((t) => (/^\d{9}$/.test(t) ? t.slice(0, 5) : t));
  if (tokens.length === 0) return null;

  for (const [phrase, rep] of [
    [['post', 'office', 'box'], 'pobox'],
    [['p', 'o', 'box'], 'pobox'],
    [['po', 'box'], 'pobox'],
  ] as const) {
    tokens = replacePhrase(tokens, phrase, rep);
  }
  // States before single-word abbreviations, so "North Carolina" → "nc", not "n carolina".
  for (const [phrase, code] of US_STATES) tokens = replacePhrase(tokens, phrase, code);
  for (const country of COUNTRY_PHRASES) {
    const tail = tokens.slice(-country.length);
    if (tokens.length > country.length && tail.every((t, i) => t === country[i])) {
      tokens = tokens.slice(0, -country.length);
      break;
    }
  }
  tokens = tokens.map((t) => WORD_ABBREVIATIONS[t] ?? t);

  // Pull out the unit: "unit 4b" (also "apt #4b" → "unit unit 4b").
  let unit: string | null = null;
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (t !== 'unit') {
      kept.push(t);
      continue;
    }
    while (tokens[i + 1] === 'unit') i++;
    const value = tokens[i + 1];
    if (value !== undefined && unit === null) {
      unit = value;
      i++;
    }
  }

  let houseNumber: string | null = null;
  let streetStart = 0;
  if (kept[0] === 'pobox' && kept[1] !== undefined) {
    houseNumber = `box:${kept[1]}`;
  } else if (kept[0] !== undefined && /\d/.test(kept[0])) {
    houseNumber = kept[0];
    streetStart = 1;
  }
  let streetKey: string | null = null;
  if (streetStart === 1) {
    streetKey = kept.slice(1).find((t) => !DIRECTIONALS.has(t)) ?? null;
  }
  const zips = kept.filter((t) => /^\d{5}$/.test(t) && t !== houseNumber);
  const zip = zips[zips.length - 1] ?? null;

  return { tokens: kept, houseNumber, streetKey, zip, unit };
}

/**
 * Dice coefficient over token multisets; a one-edit typo on a long token
 * ("Townsend"/"Townsand") earns 0.8 of a token rather than nothing.
 */
function tokenDice(a: string[], b: string[]): number {
  if (a.length + b.length === 0) return 0;
  const restB = [...b];
  const unmatchedA: string[] = [];
  let matched = 0;
  for (const t of a) {
    const k = restB.indexOf(t);
    if (k >= 0) {
      restB.splice(k, 1);
      matched += 1;
    } else unmatchedA.push(t);
  }
  for (const t of unmatchedA) {
    const k = restB.findIndex((u) => isLikelyTypo(t, u));
    if (k >= 0) {
      restB.splice(k, 1);
      matched += 0.8;
    }
  }
  return (2 * matched) / (a.length + b.length);
}

/**
 * Score = token Dice, then capped by structural conflicts (each cap says why):
 * - different house number → ≤ 0.2 (a different building on the same street);
 * - different ZIP → ≤ 0.3 (same street name in another town);
 * - different street name after the house number → ≤ 0.4 ("510 Townsend" vs "510 Brannan");
 * - both units present but different → ≤ 0.7 (same building, other apartment);
 * - unit on one side only → ≤ 0.85 (banks often drop it, but it may be a neighbour).
 */
export function compareAddresses(expected: NormalizedAddress, actual: NormalizedAddress): Comparison {
  let score = tokenDice(expected.tokens, actual.tokens);
  if (expected.houseNumber && actual.houseNumber && expected.houseNumber !== actual.houseNumber) {
    score = Math.min(score, 0.2);
  }
  if (expected.zip && actual.zip && expected.zip !== actual.zip) score = Math.min(score, 0.3);
  if (
    expected.streetKey &&
    actual.streetKey &&
    expected.streetKey !== actual.streetKey &&
    !isLikelyTypo(expected.streetKey, actual.streetKey)
  ) {
    score = Math.min(score, 0.4);
  }
  if (expected.unit !== null && actual.unit !== null) {
    if (expected.unit !== actual.unit) score = Math.min(score, 0.7);
  } else if (expected.unit !== null || actual.unit !== null) {
    score = Math.min(score, 0.85);
  }
  return comparisonFromScore(score);
}
