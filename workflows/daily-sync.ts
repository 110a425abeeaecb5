// The scheduled daily transaction sync: every active account through a sliding window of `concurrency` refreshes in
// flight across the whole run (one finishing starts the next; no page waits for its slowest account). Accounts are
// read from Postgres a page at a time as the window needs them, and the run continues as new, carrying its cursor and
// totals, so no single history holds all accounts.
import { condition, continueAsNew, patched, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DbActivities } from '../activities';
import { pagedDailySync } from './daily-sync-paged';
import { historyIsLong } from './history-limit';
import { syncAccount } from './sync-account';
import {
  addTotals,
  dailySyncProgressQuery,
  emptyTotals,
  resolveSyncSettings,
  type DailySyncInput,
  type DailySyncResult,
  type SyncableAccount,
  type SyncRunStatus,
} from './sync-definitions';

export async function dailySyncWorkflow(input: DailySyncInput = {}): Promise<DailySyncResult> {
  // Runs started before the sliding window finish their current run page by page, then continue as new into this.
  if (!patched('sliding-window')) return pagedDailySync(input);

  const info = workflowInfo();
  const db = proxyLocalActivities<DbActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });
  const settings = resolveSyncSettings(input);
  // A scheduled run's workflow id is unique per run (the schedule appends the start time): it names the summary.
  const summaryId = input.summaryId ?? info.workflowId;
  const startedAt = input.startedAt ?? Date.now();
  const deadline = startedAt + settings.runDeadlineSeconds * 1000;
  const totals = emptyTotals();
  addTotals(totals, input.totals ?? {});
  let afterId = input.afterId ?? null; // every account up to here has been started
  let inFlight = 0;
  setHandler(dailySyncProgressQuery, () => ({ summaryId, ...totals, inFlight }));

  let page: SyncableAccount[] = [];
  let listedAll = false;
  async function nextAccount(): Promise<SyncableAccount | undefined> {
    if (page.length === 0 && !listedAll) {
      await db.recordSyncRun({ id: summaryId, totals, status: 'running' });
      // All of the previous page has been started, so the cursor is also the last account listed.
      page = await db.listSyncableAccounts({ afterId, limit: settings.pageSize });
      listedAll = page.length < settings.pageSize;
    }
    return page.shift();
  }

  const launched: Promise<void>[] = [];
  let stopped = false; // a child's unexpected error (the run's own cancellation): start nothing more
  let status: SyncRunStatus = 'completed';
  let continueAfterDrain = false;
  for (;;) {
    await condition(() => inFlight < settings.concurrency || stopped);
    if (stopped) break;
    const account = await nextAccount();
    if (!account) break;
    if (Date.now() >= deadline) {
      status = 'deadline_passed';
      break;
    }
    if (historyIsLong(settings.maxHistoryEvents)) {
      // The account stays after the cursor: the next run lists it again.
      continueAfterDrain = true;
      break;
    }
    afterId = account.id;
    totals.accountsSeen += 1;
    inFlight += 1;
    const run = syncAccount(account, settings, totals).finally(() => {
      inFlight -= 1;
    });
    run.catch(() => {
      stopped = true;
    });
    launched.push(run);
  }
  // Every child has a timeout, so draining the window ends. Nothing is in flight across continue-as-new: the cursor
  // alone says where the next run starts.
  await Promise.all(launched);

  if (continueAfterDrain) {
    await db.recordSyncRun({ id: summaryId, totals, status: 'running' });
    return continueAsNew<typeof dailySyncWorkflow>({ ...input, summaryId, afterId, totals, startedAt });
  }
  await db.recordSyncRun({ id: summaryId, totals, status });
  return { summaryId, status, ...totals };
}
