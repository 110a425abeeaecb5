import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const historiesDir = fileURLToPath(new URL('../replay/histories/', import.meta.url));

/** The full event history of a workflow's latest run, as JSON text (what the Web UI's download gives). */

/**
 * With RECORD_HISTORIES=1, saves the history under test/replay/histories so the replay test guards this
 * scenario against future workflow changes. Recorded files are committed.
 */
export async function maybeRecordHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  await writeFile(`${historiesDir}${name}.json`, historyToJSON(history));
}

/** Everything a history holds as searchable text, payloads decoded (they are JSON bytes inside the events). */
export function historyText(history: unknown): string {
  const parts: string[] = [];
  const visit = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
    else if (typeof value === 'string') parts.push(value);
  };
  visit(history);
  return parts.join('\n');
}
