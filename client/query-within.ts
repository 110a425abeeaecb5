import type { Client, QueryDefinition, WorkflowHandle } from '@temporalio/client';

/** How long a running workflow's worker gets to answer a query before a report goes without the answer. */
export const QUERY_DEADLINE_MS = 5_000;

/**
 * Asks a running workflow; null when no worker answers within `deadlineMs` (a query needs one: without it, say so
 * quickly instead of waiting out the server's query timeout) or the query fails.
 */
export async function queryWithin<R>(client: Client, handle: WorkflowHandle, query: QueryDefinition<R>, deadlineMs = QUERY_DEADLINE_MS): Promise<R | null> {
  return client.withDeadline(Date.now() + deadlineMs, () => handle.query(query)).catch(() => null);
}
