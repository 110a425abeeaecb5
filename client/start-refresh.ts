import type { Client, WorkflowSignalWithStartOptions } from '@temporalio/client';
import type { WithWorkflowArgs } from '@temporalio/common';
import type { Feature } from '../common/features';
import { FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS } from '../common/search-attributes';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import { refreshRequestedSignal, type RefreshTrigger, type RefreshWorkflowInput } from '../workflows/refresh-definitions';
import { signalWithStartOrJoin } from './start-or-join';
import { toFcRefreshError } from './temporal-errors';
import { parseAccountId, parseFeature, parsePositiveInteger } from './validate';

export interface StartRefreshOptions {
  accountId: string;
  feature: Feature;
  taskQueue: string;
  /** Recorded on the refresh for reporting; default 'request'. */
  trigger?: RefreshTrigger;
  maxAttempts?: number;
  completionTimeoutSeconds?: number;
}

export interface StartedRefresh {
  accountId: string;
  feature: Feature;
  workflowId: string;
  runId: string;
  /** True when a refresh of this feature was already running and this request joined it instead of starting one. */
  joined: boolean;
}

/**
 * Starts a refresh, or joins the one already running for the same account and feature: the workflow id is
 * deterministic, so concurrent requests share one Stripe refresh. The request travels as a signal too, so a run
 * started for another reason (a webhook's late event, the daily sync) that cannot answer it runs it next.
 */
export async function startRefresh(client: Client, options: StartRefreshOptions): Promise<StartedRefresh> {
  const accountId = parseAccountId(options.accountId);
  const feature = parseFeature(options.feature);
  const input: RefreshWorkflowInput = {
    accountId,
    feature,
    trigger: options.trigger ?? 'request',
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: parsePositiveInteger('maxAttempts', options.maxAttempts) }),
    ...(options.completionTimeoutSeconds === undefined
      ? {}
      : { completionTimeoutSeconds: parsePositiveInteger('completionTimeoutSeconds', options.completionTimeoutSeconds) }),
  };
  const workflowId = refreshWorkflowId(feature, accountId);
  try {
    const { runId, joined } = await signalWithStartOrJoin<RefreshWorkflow, [RefreshWorkflowInput]>(client, REFRESH_WORKFLOW_TYPE, refreshRequest(options.taskQueue, input));
    return { accountId, feature, workflowId, runId, joined };
  } catch (err) {
    throw toFcRefreshError(err, { accountId, feature });
  }
}

/** The signal-with-start of one refresh request: its input both starts a run and reaches a running one. */
export function refreshRequest(taskQueue: string, input: RefreshWorkflowInput): WithWorkflowArgs<RefreshWorkflow, WorkflowSignalWithStartOptions<[RefreshWorkflowInput]>> {
  const { accountId, feature } = input;
  return {
    workflowId: refreshWorkflowId(feature, accountId),
    taskQueue,
    args: [input],
    signal: refreshRequestedSignal,
    signalArgs: [input],
    typedSearchAttributes: [
      { key: FC_ACCOUNT_ID, value: accountId },
      { key: FC_FEATURE, value: feature },
      { key: FC_REFRESH_STATUS, value: 'checking' },
    ],
    staticSummary: `refresh ${feature} of ${accountId}`,
  };
}
