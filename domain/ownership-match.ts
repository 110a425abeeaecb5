/**
 * Compare what the business knows about a customer with the owners a bank
 * reports for a Financial Connections account (`ownership.owners`).
 *
 * Stripe docs (financial-connections/ownership): "Stripe returns the ownership
 * information made available by a financial institution, and the availability
 * of ownership details varies. [...] Ownership details can include account
 * owner name, address, email, and phone number." So any owner field may be
 * null and an account may list several owners (joint accounts); we score each
 * owner and keep the best. The ACH guide's advice is to "pull account owners
 * and compare against your internal data models to catch potential fraud".
 *
 * The result carries indexes, statuses and scores only — never the names,
 * emails, phones or addresses themselves — so it can be logged and persisted.
 */
import type { AccountLifecycle } from '../common/stripe-account';
import { compareAddresses, normalizeAddress, type AddressInput } from './normalize-address';
import { compareEmails, normalizeEmail } from './normalize-email';
import { compareNames, normalizeName } from './normalize-name';
import { comparePhones, normalizePhone } from './normalize-phone';
import { NOT_PROVIDED, UNAVAILABLE, type Comparison, type FieldResult } from './match-types';

export type { FieldResult, FieldStatus } from './match-types';
export { FIELD_MATCH_MIN_SCORE, FIELD_PARTIAL_MIN_SCORE } from './match-types';

export type OwnershipField = 'name' | 'email' | 'phone' | 'address';

/**
 * Relative weight of each field in the overall score. The name carries the
 * most weight because it is what identifies the account holder; contact
 * details are frequently stale at the bank or shared within a household.
 * With these weights a name mismatch with every other field matching scores
 * exactly 0.6 (review: e.g. a spouse's account), and a name match alone
 * scores 1.0.
 */
export const OWNERSHIP_FIELD_WEIGHTS: Readonly<Record<OwnershipField, number>> = Object.freeze({
  name: 0.4,
  email: 0.2,
  phone: 0.2,
  address: 0.2,
});

/** Overall score at or above which the owner is a 'match'. */
export const OWNERSHIP_MATCH_THRESHOLD = 0.85;
/** Overall score at or above which (and below the match threshold) the result is 'review'. */
export const OWNERSHIP_REVIEW_THRESHOLD = 0.6;

export type ExpectedOwner = {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: AddressInput | null;
};

/** Shape of `financial_connections.account_owner`, camel-cased. */
export type AccountOwner = {
  name: string | null;
  email: string | null;
  phone: string | null;
  rawAddress: string | null;
};

export type OwnershipOutcome = 'match' | 'review' | 'no_match';

export type OwnershipMatchReason =
  /** Outcome from the score thresholds. */
  | 'scored'
  /** Score reached the match threshold but the name was not compared; capped at review. */
  | 'name_not_compared'
  /** The bank reported no owners. */
  | 'no_owners'
  /** No field was both provided by us and available from the bank. */
  | 'no_comparable_fields'
  /** The account was disconnected or is inactive: its owners may have changed unseen; capped at review. */
  | 'account_disconnected'
  | 'account_inactive';

/**
 * An account Stripe no longer refreshes (disconnected or inactive) cannot confirm who owns it now, whatever the
 * stored snapshot says: a `match` is capped at `review`, with the account's status as the reason.
 */
export function capForAccountStatus<T extends { overall: OwnershipOutcome; reason: OwnershipMatchReason }>(
  match: T,
  accountStatus: AccountLifecycle,
): T {
  if (accountStatus === 'active') return match;
  return { ...match, overall: match.overall === 'match' ? 'review' : match.overall, reason: accountStatus === 'disconnected' ? 'account_disconnected' : 'account_inactive' };
}

export type OwnerMatch = {
  ownerIndex: number;
  fields: Record<OwnershipField, FieldResult>;
  /** Weighted average over compared fields; null when nothing was comparable. */
  score: number | null;
};

export type OwnershipMatchResult = {
  overall: OwnershipOutcome;
  reason: OwnershipMatchReason;
  /** Best owner's score (null when nothing was comparable). */
  score: number | null;
  /** Index into the `owners` array of the best-scoring owner; null if none could be scored. */
  bestOwnerIndex: number | null;
  /** Field results for the best owner; null if none could be scored. */
  fields: Record<OwnershipField, FieldResult> | null;
  /** Every owner's breakdown, in input order. */
  owners: OwnerMatch[];
};

const FIELDS: readonly OwnershipField[] = ['name', 'email', 'phone', 'address'];

/**
 * Compare one field. `not_provided` when the business has no usable value
 * (blank or unparseable — we cannot judge against nothing), `unavailable` when
 * the bank's value is missing or unparseable.
 */
function field<E, T>(
  expectedRaw: E | null | undefined,
  actualRaw: string | null,
  normalize: (v: NoInfer<E> | string) => T | null,
  compare: (e: T, a: T) => Comparison,
): FieldResult {
  const e = expectedRaw == null ? null : normalize(expectedRaw);
  if (e === null) return NOT_PROVIDED;
  const a = actualRaw == null ? null : normalize(actualRaw);
  if (a === null) return UNAVAILABLE;
  return compare(e, a);
}

function scoreOwner(fields: Record<OwnershipField, FieldResult>): number | null {
  let weighted = 0;
  let totalWeight = 0;
  for (const f of FIELDS) {
    const s = fields[f].score;
    if (s === null) continue;
    weighted += OWNERSHIP_FIELD_WEIGHTS[f] * s;
    totalWeight += OWNERSHIP_FIELD_WEIGHTS[f];
  }
  return totalWeight === 0 ? null : Math.round((weighted / totalWeight) * 10000) / 10000;
}

export function compareOwner(expected: ExpectedOwner, owner: AccountOwner, ownerIndex: number): OwnerMatch {
  const fields: Record<OwnershipField, FieldResult> = {
    name: field(expected.name, owner.name, normalizeName, compareNames),
    email: field(expected.email, owner.email, normalizeEmail, compareEmails),
    phone: field(expected.phone, owner.phone, normalizePhone, comparePhones),
    address: field(expected.address, owner.rawAddress, normalizeAddress, compareAddresses),
  };
  return { ownerIndex, fields, score: scoreOwner(fields) };
}

/**
 * Score every owner; the best (highest score, earliest index on ties) decides.
 *
 * Overall: score ≥ OWNERSHIP_MATCH_THRESHOLD → 'match'; ≥
 * OWNERSHIP_REVIEW_THRESHOLD → 'review'; else 'no_match'. Two guards:
 * - 'match' requires the name to have been compared. Email/phone/address alone
 *   can belong to anyone in the household, so they are capped at 'review'.
 * - Nothing comparable (no owners, or no overlapping fields) → 'review': we
 *   could not verify, which is not evidence of fraud either; policy decides.
 */
export function matchOwnership(expected: ExpectedOwner, owners: readonly AccountOwner[]): OwnershipMatchResult {
  const results = owners.map((o, i) => compareOwner(expected, o, i));
  let best: OwnerMatch | null = null;
  for (const r of results) {
    if (r.score !== null && (best === null || r.score > (best.score ?? -1))) best = r;
  }

  if (best === null || best.score === null) {
    return {
      overall: 'review',
      reason: owners.length === 0 ? 'no_owners' : 'no_comparable_fields',
      score: null,
      bestOwnerIndex: null,
      fields: null,
      owners: results,
    };
  }

  let overall: OwnershipOutcome =
    best.score >= OWNERSHIP_MATCH_THRESHOLD ? 'match' : best.score >= OWNERSHIP_REVIEW_THRESHOLD ? 'review' : 'no_match';
  let reason: OwnershipMatchReason = 'scored';
  if (overall === 'match' && best.fields.name.score === null) {
    overall = 'review';
    reason = 'name_not_compared';
  }
  return { overall, reason, score: best.score, bestOwnerIndex: best.ownerIndex, fields: best.fields, owners: results };
}
