import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { TERMINAL_STATUSES } from '../../workflows/refresh-definitions';

// "Every refresh ends in a recorded terminal state": an fc_refreshes row whose workflow run has closed must hold a
// terminal status. Checked after each test file (test/helpers/stack.ts) and after the chaos run.

export const TERMINAL_REFRESH_STATUSES: readonly string[] = TERMINAL_STATUSES;

export interface OpenRefreshRow {
  rowId: number;
  accountId: string;
  feature: string;
  trigger: string;
  status: string;
  workflowId: string;
  runId: string;
  /** The run's Temporal status: COMPLETED, FAILED, TERMINATED, TIMED_OUT, CANCELLED, CONTINUED_AS_NEW; NOT_FOUND if the server has no such run. */
  execution: string;
  updatedAt: Date;
}

/** fc_refreshes rows in a non-terminal status whose workflow run is no longer running. */
export async function openRefreshRowsOfClosedRuns(pool: pg.Pool, client: Client): Promise<OpenRefreshRow[]> {
  const { rows } = await pool.query<{ id: string; account_id: string; feature: string; trigger: string; status: string; workflow_id: string; run_id: string; updated_at: Date }>(
    `SELECT id, account_id, feature, trigger, status, workflow_id, run_id, updated_at FROM fc_refreshes WHERE NOT (status = ANY($1)) ORDER BY id`,
    [TERMINAL_REFRESH_STATUSES],
  );
  const open: OpenRefreshRow[] = [];
  for (const row of rows) {
    let execution = await executionStatus(client, row.workflow_id, row.run_id);
    // A run that continued as new hands the refresh on: the workflow is closed only once its latest run is.
    if (execution === 'CONTINUED_AS_NEW') execution = `CONTINUED_AS_NEW, latest run ${await executionStatus(client, row.workflow_id)}`;
    if (execution.endsWith('RUNNING')) continue;
    // Read again: the run may have recorded its outcome and closed between the first read and the describe.
    const now = await pool.query<{ status: string }>('SELECT status FROM fc_refreshes WHERE id = $1', [row.id]);
    const status = now.rows[0]?.status ?? row.status;
    if (TERMINAL_REFRESH_STATUSES.includes(status)) continue;
    open.push({
      rowId: Number(row.id),
      accountId: row.account_id,
      feature: row.feature,
      trigger: row.trigger,
      status,
      workflowId: row.workflow_id,
      runId: row.run_id,
      execution,
      updatedAt: row.updated_at,
    });
  }
  return open;
}

async function executionStatus(client: Client, workflowId: string, runId?: string): Promise<string> {
  try {
    return (await client.workflow.getHandle(workflowId, runId).describe()).status.name;
  } catch (err) {
    if ((err as { name?: string }).name === 'WorkflowNotFoundError') return 'NOT_FOUND';
    throw err;
  }
}

/** One line per row, e.g. `row 12 transactions fca_… (webhook): status storing, run COMPLETED; workflow … run …`. */
export function describeOpenRefreshRows(rows: readonly OpenRefreshRow[]): string {
  return rows
    .map((row) => `  row ${row.rowId} ${row.feature} ${row.accountId} (${row.trigger}): status '${row.status}' but run ${row.execution}; workflow ${row.workflowId} run ${row.runId}, last updated ${row.updatedAt.toISOString()}`)
    .join('\n');
}
