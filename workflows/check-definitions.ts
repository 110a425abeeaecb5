// What the balance check and the ownership verification share: how their wait for fresh data ended.
// Imported by workflows, activities and the client, so it holds types only.
import type { RefreshOutcome } from './refresh-definitions';

/** How a check's wait for fresh data ended. */
export type FreshDataStatus =
  /** A refresh (started by the check, or another caller's that it joined) stored new data during the check. */
  | 'refreshed'
  /** Stripe's next_refresh_available_at is after the caller's deadline, so no refresh was started. */
  | 'refresh_unavailable_before_deadline'
  /** A refresh was running but had not stored its data when the deadline came; it carries on. */
  | 'deadline_reached'
  /** The refresh ended `failed` or `timed_out` (or its execution was cancelled or terminated). */
  | 'refresh_not_succeeded'
  | 'account_inactive'
  | 'permission_missing'
  | 'account_not_found';

/** The refresh a check ran or joined; ids and timestamps only. */
export interface RefreshAttempt {
  /** The refresh workflow's id, `fc-refresh/<feature>/<fca>`. */
  workflowId: string;
  status: FreshDataStatus;
  /** True when a refresh another caller had started was joined instead of starting one. */
  joined: boolean;
  /** The refresh workflow's outcome, when the check saw it end. */
  outcome: RefreshOutcome | null;
  /** Unix seconds; set when it is why no refresh was started. */
  nextRefreshAvailableAt: number | null;
}

/** Whether a check decided on data a refresh brought during the check, or on what was already stored. */
export type DataSource = 'stored' | 'refreshed';
