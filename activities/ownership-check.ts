import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../common/failure-types';
import { loadCurrentOwnership } from '../db/queries/current-ownership';
import { getFeatureRefreshedAt } from '../db/queries/feature-refreshed-at';
import { completeOwnershipCheck, getOwnershipCheckRequest } from '../db/queries/ownership-checks';
import { capForAccountStatus, matchOwnership, OWNERSHIP_MATCH_THRESHOLD, OWNERSHIP_REVIEW_THRESHOLD } from '../domain/ownership-match';
import type { RefreshAttempt } from '../workflows/check-definitions';
import type { OwnershipCheckBasis, OwnershipCheckResult } from '../workflows/ownership-check-definitions';
import type { ActivityDeps } from './deps';

// The ownership verification's Postgres side. The expected values and the owners are PII: they are read and
// compared here, and only statuses, scores and ids leave this activity.

export type OwnershipComparison = Pick<OwnershipCheckResult, 'overall' | 'reason' | 'score' | 'fields' | 'thresholds' | 'basis'>;

function ageSeconds(refreshedAt: Date | null): number | null {
  return refreshedAt === null ? null : Math.max(0, Math.floor((Date.now() - refreshedAt.getTime()) / 1000));
}

function staleReasonOf(age: number | null, maxAgeSeconds: number, refresh: RefreshAttempt | null): OwnershipCheckBasis['staleReason'] {
  if (age !== null && age <= maxAgeSeconds) return null;
  if (refresh && refresh.status !== 'refreshed') return refresh.status;
  return age === null ? 'never_refreshed' : 'older_than_max_age';
}

export function createOwnershipCheckActivities({ pool }: Pick<ActivityDeps, 'pool'>) {
  return {
    async assessStoredOwnership(input: { accountId: string; maxAgeSeconds: number }): Promise<{ fresh: boolean }> {
      const age = ageSeconds(await getFeatureRefreshedAt(pool, input.accountId, 'ownership'));
      return { fresh: age !== null && age <= input.maxAgeSeconds };
    },

    /** Compares the check's expected values with the current owners (domain/ownership-match.ts) and records it. */
    async compareOwnershipCheck(input: { checkId: string; accountId: string; workflowId: string; refresh: RefreshAttempt | null }): Promise<OwnershipComparison> {
      const request = await getOwnershipCheckRequest(pool, input.checkId);
      if (!request || request.accountId !== input.accountId) {
        throw ApplicationFailure.create({
          type: FailureType.OwnershipCheckNotFound,
          message: `no pending ownership check ${input.checkId} for ${input.accountId}`,
          nonRetryable: true,
        });
      }
      const ownership = await loadCurrentOwnership(pool, input.accountId);
      const owners = ownership?.owners ?? [];
      const match = capForAccountStatus(matchOwnership(request.expected, owners), ownership?.accountStatus ?? 'active');
      const refreshedAt = ownership?.refreshedAt ?? null;
      const age = ageSeconds(refreshedAt);
      const staleReason = staleReasonOf(age, request.maxAgeSeconds, input.refresh);
      const basis: OwnershipCheckBasis = {
        ownershipId: ownership?.ownershipId ?? null,
        ownersCompared: owners.length,
        refreshedAt: refreshedAt === null ? null : Math.floor(refreshedAt.getTime() / 1000),
        ageSeconds: age,
        data: input.refresh?.status === 'refreshed' ? 'refreshed' : 'stored',
        fresh: staleReason === null,
        stale: staleReason !== null,
        staleReason,
      };
      await completeOwnershipCheck(pool, {
        id: input.checkId,
        workflowId: input.workflowId,
        ownershipId: basis.ownershipId,
        ownersCompared: owners.length,
        bestOwnerId: match.bestOwnerIndex === null ? null : (owners[match.bestOwnerIndex]?.id ?? null),
        overall: match.overall,
        reason: match.reason,
        score: match.score,
        fields: match.fields,
        ownershipRefreshedAt: refreshedAt,
        dataSource: basis.data,
        fresh: basis.fresh,
        staleReason,
        refresh: input.refresh,
      });
      return {
        overall: match.overall,
        reason: match.reason,
        score: match.score,
        fields: match.fields,
        thresholds: { match: OWNERSHIP_MATCH_THRESHOLD, review: OWNERSHIP_REVIEW_THRESHOLD },
        basis,
      };
    },
  };
}
