import { Context } from '@temporalio/activity';
import type { SettleVerdict } from '../db/queries/feature-state';

/** What a store activity did with a succeeded refresh: stored it, or left it because it was stale or a duplicate. */
export type StoreVerdict = SettleVerdict;

/** The workflow run an activity works for: a retry of that run may settle the same refresh again. */
export function settlingRun(): string {
  const execution = Context.current().info.workflowExecution;
  return execution ? `${execution.workflowId}/${execution.runId}` : `activity/${Context.current().info.activityId}`;
}
