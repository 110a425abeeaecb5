import { WorkflowFailedError, type Client, type QueryDefinition, type Workflow, type WorkflowExecutionStatusName, type WorkflowResultType } from '@temporalio/client';
import { queryWithin } from './query-within';

export type ExecutionState = Lowercase<WorkflowExecutionStatusName>;

/** The latest run of an entity workflow (a refresh, an account) and what it can tell. */
export interface LatestRun<Queried, Result> {
  runId: string;
  execution: ExecutionState;
  startedAt: Date;
  closedAt: Date | null;
  /**
   * Running: the query's answer (null when no worker answered in time: the report still says it is running).
   * Completed: the workflow's result. Failed, cancelled, terminated or timed out: null.
   */
  state: Queried | Result | null;
  /** Failed: the failure's message (e.g. Stripe has no such account); otherwise null. */
  failure: string | null;
}

/** Describes the workflow id's latest run, then queries it while running or reads its result once closed. */
export async function readLatestRun<W extends Workflow, Queried>(client: Client, workflowId: string, query: QueryDefinition<Queried>): Promise<LatestRun<Queried, WorkflowResultType<W>>> {
  const execution = await client.workflow.getHandle(workflowId).describe();
  const handle = client.workflow.getHandle<W>(workflowId, execution.runId, { followRuns: false });
  const state = execution.status.name.toLowerCase() as ExecutionState;
  let known: Pick<LatestRun<Queried, WorkflowResultType<W>>, 'state' | 'failure'> = { state: null, failure: null };
  if (state === 'running') {
    known.state = await queryWithin(client, handle, query);
  } else if (state === 'completed' || state === 'failed') {
    known = await handle.result().then(
      (result) => ({ state: result, failure: null }),
      (err: unknown) => ({ state: null, failure: err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : String(err) }),
    );
  }
  return { runId: execution.runId, execution: state, startedAt: execution.startTime, closedAt: execution.closeTime ?? null, ...known };
}
