import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { FEATURES, type Feature } from '../common/features';
import { refreshWorkflowId } from '../common/workflow-ids';
import { refreshStatusQuery, type RefreshResult, type RefreshStatus } from '../workflows/definitions';
import { RefreshNotFoundError } from './errors';
import type { RefreshWorkflow } from './refresh-workflow-type';
import { toFcRefreshError } from './temporal-errors';
import { parseAccountId, parseFeature } from './validate';

/** How long a running refresh's worker gets to answer the status query before the report goes without it. */
const STATUS_QUERY_DEADLINE_MS = 5_000;

export type RefreshExecutionState = Lowercase<WorkflowExecutionStatusName>;

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
    const execution = await client.workflow.getHandle(workflowId).describe();
    const handle = client.workflow.getHandle<RefreshWorkflow>(workflowId, execution.runId, { followRuns: false });
    const state = execution.status.name.toLowerCase() as RefreshExecutionState;
    let status: RefreshStatusReport['status'] = null;
    if (state === 'running') {
      // A running workflow with no live worker cannot answer; the report still says it is running.
      status = await client
        .withDeadline(Date.now() + STATUS_QUERY_DEADLINE_MS, () => handle.query(refreshStatusQuery))
        .catch(() => null);
    } else if (state === 'completed') {
      status = await handle.result();
    }
    return {
      accountId,
      feature,
      workflowId,
      runId: execution.runId,
      execution: state,
      startedAt: execution.startTime,
      closedAt: execution.closeTime ?? null,
      status,
    };
  } catch (err) {
    throw toFcRefreshError(err, { accountId, feature });
  }
}
