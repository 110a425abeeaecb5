// One ownership verification: refresh the account's ownership when the stored one is too old (run or join the
// refresh, within the deadline), then compare in an activity. The expected values are in the check's
// Postgres row, never in this workflow's input or history; only statuses and scores come back.
import { workflowInfo } from '@temporalio/workflow';
import { refreshActivities } from './activity-proxies';
import type { OwnershipCheckResult, VerifyOwnershipInput } from './ownership-check-definitions';
import { refreshForCheck } from './refresh-for-check';

export async function verifyOwnershipWorkflow(input: VerifyOwnershipInput): Promise<OwnershipCheckResult> {
  const startedAtMs = Date.now();
  const { workflowId } = workflowInfo();
  const { db } = refreshActivities();
  const { checkId, accountId } = input;

  const stored = await db.assessStoredOwnership({ accountId, maxAgeSeconds: input.maxAgeSeconds });
  const refresh = stored.fresh
    ? null
    : await refreshForCheck({ accountId, feature: 'ownership', checkStartedAtMs: startedAtMs, deadlineAtMs: startedAtMs + input.deadlineSeconds * 1000 });
  const compared = await db.compareOwnershipCheck({ checkId, accountId, workflowId, refresh });
  return { checkId, workflowId, accountId, ...compared, refresh };
}
