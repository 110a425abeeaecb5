// The scheduled transaction sync's contract, shared by the workflows, the schedule client and tests.
import { defineQuery } from '@temporalio/workflow';
import { MAX_HISTORY_EVENTS } from './history-limit';
import type { SyncableAccount, SyncRunStatus, SyncTotals } from '../db/queries/sync-runs';

export type { SyncableAccount, SyncRunStatus, SyncTotals };

/** The settings a schedule passes to each run; every one has a default (see resolveSyncSettings). */
export interface DailySyncSettings {
  /** Accounts read from Postgres per query (default 100). */
  pageSize?: number;
  /** Account refreshes in flight at once across the whole run (default 10); Stripe's rate limit is enforced on the task queue. */
  concurrency?: number;
  /** A subscribed account whose last refresh succeeded within this window is synced, not refreshed (default 36 h). */
  recentRefreshSeconds?: number;
  /**
   * An account whose next refresh is further away than this (Stripe's cooldown), or unknown, is deferred to the next
   * run instead of being waited for (default 10 minutes).
   */
  deferIfUnavailableForSeconds?: number;
  /** How long one account's refresh may stay pending at Stripe before it ends `timed_out` (default 1 hour). */
  completionTimeoutSeconds?: number;
  /**
   * Hard limit on one account's refresh workflow, after which it is stopped and counted failed (default: the defer
   * window + the completion timeout + 30 minutes of storing, the transaction sync activity's own limit).
   */
  childTimeoutSeconds?: number;
  /** The run starts no account after this long (default 20 h): with the child timeout, every run ends before the next day's. */
  runDeadlineSeconds?: number;
  /**
   * A run past this many history events starts no more accounts and continues as new once its window drains (default
   * MAX_HISTORY_EVENTS, workflows/history-limit.ts). Lower it only to see continue-as-new on a small run.
   */
  maxHistoryEvents?: number;
}

export interface DailySyncInput extends DailySyncSettings {
  /** Carried across continue-as-new. */
  summaryId?: string;
  /** Every account up to this id has been synced (keyset cursor). */
  afterId?: string | null;
  /** Partial totals from runs before continue-as-new (older runs carried them without `accountsDeferred`). */
  totals?: Partial<SyncTotals>;
  /** When the first run of the chain started, unix ms: the run deadline counts from it. */
  startedAt?: number;
}

export interface DailySyncResult extends SyncTotals {
  summaryId: string;
  /** `deadline_passed`: the run deadline came before every account was started (older runs' results lack it). */
  status?: SyncRunStatus;
}

/** What a running sync reports to `schedules show`. */
export interface DailySyncProgress extends SyncTotals {
  summaryId: string;
  inFlight: number;
}

export const dailySyncProgressQuery = defineQuery<DailySyncProgress>('dailySyncProgress');

/** Legacy: the page-by-page sync's child batch (kept only for runs started before the sliding window). */
export interface SyncBatchInput {
  accounts: SyncableAccount[];
  concurrency: number;
  recentRefreshSeconds: number;
}

const STORING_ALLOWANCE_SECONDS = 30 * 60;

export function resolveSyncSettings(settings: DailySyncSettings): Required<DailySyncSettings> {
  const deferIfUnavailableForSeconds = settings.deferIfUnavailableForSeconds ?? 600;
  const completionTimeoutSeconds = settings.completionTimeoutSeconds ?? 3600;
  return {
    pageSize: settings.pageSize ?? 100,
    concurrency: settings.concurrency ?? 10,
    recentRefreshSeconds: settings.recentRefreshSeconds ?? 36 * 3600,
    deferIfUnavailableForSeconds,
    completionTimeoutSeconds,
    childTimeoutSeconds: settings.childTimeoutSeconds ?? deferIfUnavailableForSeconds + completionTimeoutSeconds + STORING_ALLOWANCE_SECONDS,
    runDeadlineSeconds: settings.runDeadlineSeconds ?? 20 * 3600,
    maxHistoryEvents: settings.maxHistoryEvents ?? MAX_HISTORY_EVENTS,
  };
}

/**
 * The longest a whole run can take: the deadline, then the last children's timeout, plus slack for bookkeeping.
 * The schedule sets it as the execution timeout, a backstop the run's own deadline should never reach.
 */
export function runTimeoutSeconds(settings: DailySyncSettings): number {
  const resolved = resolveSyncSettings(settings);
  return resolved.runDeadlineSeconds + resolved.childTimeoutSeconds + 10 * 60;
}

export const emptyTotals = (): SyncTotals => ({
  accountsSeen: 0,
  accountsSynced: 0,
  accountsSkipped: 0,
  accountsDeferred: 0,
  accountsFailed: 0,
  transactionsAdded: 0,
  transactionsUpdated: 0,
});

export function addTotals(into: SyncTotals, more: Partial<SyncTotals>): void {
  into.accountsSeen += more.accountsSeen ?? 0;
  into.accountsSynced += more.accountsSynced ?? 0;
  into.accountsSkipped += more.accountsSkipped ?? 0;
  into.accountsDeferred += more.accountsDeferred ?? 0;
  into.accountsFailed += more.accountsFailed ?? 0;
  into.transactionsAdded += more.transactionsAdded ?? 0;
  into.transactionsUpdated += more.transactionsUpdated ?? 0;
}
