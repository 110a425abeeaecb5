import { workflowInfo } from '@temporalio/workflow';

/**
 * Every long-lived workflow (an account, a refresh waiting out Stripe's cooldown, a consumer's notifications, the daily
 * sync and its page-by-page predecessor) continues as new past this many history events, far below Temporal's limit
 * (51,200), so replaying a run after a worker restart stays cheap. One bound for all, so tests and benches check one.
 */
export const MAX_HISTORY_EVENTS = 1_000;

/** Whether this run should hand over to a fresh one: the server suggests it, or the history is past the bound. */
export function historyIsLong(maxEvents = MAX_HISTORY_EVENTS): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > maxEvents;
}
