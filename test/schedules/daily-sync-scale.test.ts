import { afterAll, beforeAll, expect, test } from 'vitest';
import { runDailySync } from '../helpers/sync';
import { HISTORY_LIMIT, inspectSyncRun, linkScaleAccounts } from '../helpers/sync-scale';
import { startStack, type Stack } from '../helpers/stack';

// The daily sync's scale properties on a small run: every account covered, one summary row, every history bounded.
// The same checks over 2,000 accounts, with Stripe's pacing measured, run in `npm run bench:scale` (bench/sync-scale.ts):
// a timing-bound run does not belong in npm test.
const ACCOUNTS = 40;
const TRANSACTIONS_EACH = 5;
// Small pages and little concurrency, so 40 accounts still go through several pages as 2,000 would.
const SYNC = { pageSize: 10, concurrency: 4 };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

test(`a daily sync over ${ACCOUNTS} accounts: every account covered, one summary row, bounded histories`, async () => {
  const accountIds = await linkScaleAccounts(stack, ACCOUNTS, TRANSACTIONS_EACH);
  const startedAt = new Date();
  const result = await runDailySync(stack, SYNC);
  expect(result).toMatchObject({ accountsSeen: ACCOUNTS, accountsSynced: ACCOUNTS, accountsSkipped: 0, accountsFailed: 0, transactionsAdded: ACCOUNTS * TRANSACTIONS_EACH });

  const findings = await inspectSyncRun(stack, result.summaryId, accountIds, startedAt);
  expect(findings.accountsNotCovered).toEqual([]);
  expect(findings.summary).toEqual({ status: 'completed', accounts_seen: ACCOUNTS, accounts_synced: ACCOUNTS, finished: true });
  // The sync itself, its pages and the refreshes of the unsubscribed half.
  expect(findings.workflowsStarted).toBeGreaterThan(ACCOUNTS / 2);
  expect(findings.longestHistory.events, findings.longestHistory.workflow).toBeLessThan(HISTORY_LIMIT);
});
