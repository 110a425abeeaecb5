import type { Client } from '@temporalio/client';
import { FEATURES, type Feature } from '../common/features';
import { refreshWorkflowId } from '../common/workflow-ids';
import type { RefreshWorkflow } from '../common/workflow-types';
import { refreshStatusQuery, type RefreshResult, type RefreshStatus } from '../workflows/refresh-definitions';
import { RefreshNotFoundError } from './errors';
import { readLatestRun, type ExecutionState } from './latest-run';
import { toFcRefreshError } from './temporal-errors';
import { parseAccountId, parseFeature } from './validate';

export type RefreshExecutionState = ExecutionState;

export interface RefreshStatusReport {
  accountId: string;
  feature: Feature;
  workflowId: string;
  runId: string;
  execution: RefreshExecutionState;
  startedAt: Date;
  closedAt: Date | null;
  /**
   * Running: the workflow's `status` query (null when no worker answered in time).
   * Completed: the workflow's result. Cancelled, terminated, failed or timed out: null.
   */
  status: RefreshStatus | RefreshResult | null;
}

/** The latest refresh of one feature of the account; RefreshNotFoundError when there has been none. */
export async function getRefreshStatus(client: Client, accountId: string, feature: Feature): Promise<RefreshStatusReport>;
/** The latest refresh of each feature of the account that has one (possibly none). */
export async function getRefreshStatus(client: Client, accountId: string): Promise<RefreshStatusReport[]>;
export async function getRefreshStatus(
  client: Client,
  accountId: string,
  feature?: Feature,
): Promise<RefreshStatusReport | RefreshStatusReport[]> {
  const account = parseAccountId(accountId);
  if (feature !== undefined) return reportOne(client, account, parseFeature(feature));
  const reports = await Promise.all(
    FEATURES.map((each) =>
      reportOne(client, account, each).catch((err: unknown) => {
        if (err instanceof RefreshNotFoundError) return null;
        throw err;
      }),
    ),
  );
  return reports.filter((report): report is RefreshStatusReport => report !== null);
}

async function reportOne(client: Client, accountId: string, feature: Feature): Promise<RefreshStatusReport> {
  const workflowId = refreshWorkflowId(feature, accountId);
  try {
    const { runId, execution, startedAt, closedAt, state } = await readLatestRun<RefreshWorkflow, RefreshStatus>(client, workflowId, refreshStatusQuery);
    return { accountId, feature, workflowId, runId, execution, startedAt, closedAt, status: state };
  } catch (err) {
    throw toFcRefreshError(err, { accountId, feature });
  }
}
