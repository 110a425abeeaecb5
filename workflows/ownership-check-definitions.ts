// The ownership verification workflow's contract. The values being verified and the owners' details are PII:
// they live in Postgres (fc_ownership_checks, fc_owners) and never enter workflow input, result or history.
import type { FieldResult, OwnershipField, OwnershipMatchReason, OwnershipOutcome } from '../domain/ownership-match';
import type { DataSource, FreshDataStatus, RefreshAttempt } from './check-definitions';

export interface VerifyOwnershipInput {
  /** The fc_ownership_checks row the client created with the expected values. */
  checkId: string;
  accountId: string;
  /** Ownership stored longer ago than this (or never) is refreshed first. */
  maxAgeSeconds: number;
  /** How long the check may wait for a refresh before comparing with what is stored. */
  deadlineSeconds: number;
}

export interface OwnershipCheckBasis {
  /** The fcaowns_… compared against; null when no ownership has been stored. */
  ownershipId: string | null;
  ownersCompared: number;
  /** When fc-refresh stored that ownership, unix seconds. */
  refreshedAt: number | null;
  ageSeconds: number | null;
  data: DataSource;
  fresh: boolean;
  stale: boolean;
  staleReason: Exclude<FreshDataStatus, 'refreshed'> | 'older_than_max_age' | 'never_refreshed' | null;
}

export interface OwnershipCheckResult {
  checkId: string;
  workflowId: string;
  accountId: string;
  /** match ≥ thresholds.match, review ≥ thresholds.review, else no_match (domain/ownership-match.ts). */
  overall: OwnershipOutcome;
  reason: OwnershipMatchReason;
  /** The best owner's weighted score, 0..1; null when nothing was comparable. */
  score: number | null;
  /** The best owner's per-field statuses and scores; null when nothing was comparable. */
  fields: Record<OwnershipField, FieldResult> | null;
  thresholds: { match: number; review: number };
  basis: OwnershipCheckBasis;
  refresh: RefreshAttempt | null;
}
