import { workflowInfo } from '@temporalio/workflow';

/**
 * Long-lived workflows (an account, a refresh waiting out Stripe's cooldown) continue as new past this many history
 * events, well before Temporal's limit (51,200), so replaying a run after a worker restart stays cheap.
 */
export const MAX_HISTORY_EVENTS = 2_000;

/** Whether this run should hand over to a fresh one: the server suggests it, or the history is past our own limit. */
export function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS;
}
