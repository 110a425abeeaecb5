import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { inject } from 'vitest';
import { findTemporalCli } from '../../scripts/ensure-tools.mjs';

export const historiesDir = fileURLToPath(new URL('../replay/histories/', import.meta.url));

/**
 * With RECORD_HISTORIES=1, saves the history under test/replay/histories so the replay test guards this
 * scenario against future workflow changes. Exported by the Temporal CLI, in the same JSON the Web UI downloads.
 */
export async function maybeRecordHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const run = runId ?? (await client.workflow.getHandle(workflowId).describe()).runId;
  const cli = findTemporalCli();
  if (!cli) throw new Error('recording histories needs the Temporal CLI (npm run temporal:install)');
  const { stdout } = await promisify(execFile)(
    cli,
    ['workflow', 'show', '--workflow-id', workflowId, '--run-id', run, '--output', 'json', '--address', inject('temporalAddress')],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  // Failure stack traces name this machine's paths; replay never reads them, so they are not kept.
  await writeFile(`${historiesDir}${name}.json`, withoutStackTraces(stdout));
}

function withoutStackTraces(historyJson: string): string {
  return JSON.stringify(JSON.parse(historyJson, (key, value: unknown) => (key === 'stackTrace' ? '' : value)), null, 2);
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
