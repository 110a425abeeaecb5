/** Types shared by the per-field ownership comparators. */

export type FieldStatus = 'match' | 'partial' | 'mismatch' | 'not_provided' | 'unavailable';

/**
 * `score` is 0..1 when the field was actually compared (match/partial/mismatch)
 * and null otherwise, so "not compared" can never be mistaken for "scored 0".
 */
export type FieldResult = { status: FieldStatus; score: number | null };

/** Result of comparing two already-normalised values. */
export type Comparison = { status: 'match' | 'partial' | 'mismatch'; score: number };

export const NOT_PROVIDED: FieldResult = Object.freeze({ status: 'not_provided', score: null }) as FieldResult;
export const UNAVAILABLE: FieldResult = Object.freeze({ status: 'unavailable', score: null }) as FieldResult;

/** A compared field scoring at least this is a 'match'. */
export const FIELD_MATCH_MIN_SCORE = 0.9;
/** A compared field scoring at least this (and below the match bar) is 'partial'; below it, 'mismatch'. */
export const FIELD_PARTIAL_MIN_SCORE = 0.5;

/** One status rule for every field, so the per-field scores mean the same thing everywhere. */
export function comparisonFromScore(score: number): Comparison {
  const s = Math.round(Math.min(1, Math.max(0, score)) * 10000) / 10000;
  if (s >= FIELD_MATCH_MIN_SCORE) return { status: 'match', score: s };
  if (s >= FIELD_PARTIAL_MIN_SCORE) return { status: 'partial', score: s };
  return { status: 'mismatch', score: s };
}
