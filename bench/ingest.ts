// 3. Transaction ingest for one account through the real sync path (refresh workflow → syncTransactions →
// upserts), against raw COPY and a row-by-row INSERT loop of the same rows into tables shaped like fc_transactions.
//
// The simulator caps an account's first history at 5,000 transactions and each later refresh at 1,000 new ones, so
// 100,000 rows take 96 refreshes: one full sync, then 95 incremental ones (`transaction_refresh[after]`).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { from as copyFrom } from 'pg-copy-streams';
import { refreshWorkflowId } from '../common/workflow-ids';
import { linkAccounts } from './accounts';
import { log, round } from './measure';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

export const FIRST_HISTORY = 5_000;
export const NEW_PER_REFRESH = 1_000;

export interface IngestResult {
  rowsPerSec: number;
  copyRowsPerSec: number;
  rowByRowRowsPerSec: number;
  ratioToCopy: number;
  ratioToRowByRow: number;
}

export interface IngestDetail {
  rows: number;
  refreshes: number;
  /** Wall time of all refreshes, lifecycle included. */
  endToEndRowsPerSec: number;
  /** Rows the row-by-row loop inserted (it is timed on a prefix when the full set would take minutes). */
  rowByRowRows: number;
}

const COLUMNS = ['id', 'account_id', 'amount', 'currency', 'description', 'status', 'posted_at', 'void_at', 'transacted_at', 'transaction_refresh_id', 'stripe_updated'] as const;
type Row = Record<(typeof COLUMNS)[number], string | number | Date | null>;

/** Time from scheduling syncTransactions to its completion, summed over a run's history (retries included). */
async function syncActivitySeconds(client: Client, workflowId: string, runId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const scheduledAt = new Map<string, number>();
  let total = 0;
  for (const event of history.events ?? []) {
    const at = tsToMs(event.eventTime);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'syncTransactions') scheduledAt.set(String(event.eventId), at);
    const completed = event.activityTaskCompletedEventAttributes;
    const from = completed ? scheduledAt.get(String(completed.scheduledEventId)) : undefined;
    if (from !== undefined) total += at - from;
  }
  return total / 1000;
}

function copyLine(row: Row): string {
  return `${COLUMNS.map((column) => {
    const value = row[column];
    if (value === null) return '\\N';
    const text = value instanceof Date ? value.toISOString() : String(value);
    return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  }).join('\t')}\n`;
}

export async function measureTransactionIngest(stack: ProductStack, total: number, rowByRowLimit: number): Promise<{ result: IngestResult; detail: IngestDetail }> {
  if (total < FIRST_HISTORY || (total - FIRST_HISTORY) % NEW_PER_REFRESH !== 0) throw new Error(`ingest total must be ${FIRST_HISTORY} + k × ${NEW_PER_REFRESH}`);
  const [accountId] = await linkAccounts(stack, 1, { transactionCount: FIRST_HISTORY, newTransactionsPerRefresh: NEW_PER_REFRESH, updatesPerRefresh: 0, voidEvery: 0 });
  if (!accountId) throw new Error('no account');
  const refreshes = 1 + (total - FIRST_HISTORY) / NEW_PER_REFRESH;

  const started = performance.now();
  let syncSeconds = 0;
  for (let i = 0; i < refreshes; i++) {
    const { runId } = await runRefresh(stack.client, stack.taskQueue, accountId, 'transactions');
    syncSeconds += await syncActivitySeconds(stack.client, refreshWorkflowId('transactions', accountId), runId);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const { rows } = await stack.pool.query<Row>(`SELECT ${COLUMNS.join(', ')} FROM fc_transactions WHERE account_id = $1`, [accountId]);
  if (rows.length !== total) throw new Error(`sync stored ${rows.length} transactions, expected ${total}`);
  log(`ingest: ${total} rows in ${refreshes} refreshes, ${wallSeconds.toFixed(1)} s wall, ${syncSeconds.toFixed(1)} s in syncTransactions`);

  const copySeconds = await timeCopy(stack, rows);
  const loopRows = rows.slice(0, Math.min(rowByRowLimit, rows.length));
  const rowByRowSeconds = await timeRowByRow(stack, loopRows);
  log(`ingest: COPY ${rows.length} rows in ${copySeconds.toFixed(2)} s; row-by-row ${loopRows.length} rows in ${rowByRowSeconds.toFixed(2)} s`);

  const rowsPerSec = total / syncSeconds;
  const copyRowsPerSec = rows.length / copySeconds;
  const rowByRowRowsPerSec = loopRows.length / rowByRowSeconds;
  return {
    result: {
      rowsPerSec: Math.round(rowsPerSec),
      copyRowsPerSec: Math.round(copyRowsPerSec),
      rowByRowRowsPerSec: Math.round(rowByRowRowsPerSec),
      ratioToCopy: round(rowsPerSec / copyRowsPerSec, 3),
      ratioToRowByRow: round(rowsPerSec / rowByRowRowsPerSec, 2),
    },
    detail: { rows: total, refreshes, endToEndRowsPerSec: Math.round(total / wallSeconds), rowByRowRows: loopRows.length },
  };
}

/** A scratch table with fc_transactions' columns, primary key and index. */
async function withScratchTable<T>(stack: ProductStack, name: string, work: () => Promise<T>): Promise<T> {
  await stack.pool.query(`DROP TABLE IF EXISTS ${name}; CREATE TABLE ${name} (LIKE fc_transactions INCLUDING ALL)`);
  try {
    return await work();
  } finally {
    await stack.pool.query(`DROP TABLE IF EXISTS ${name}`);
  }
}

/** Serialising is timed with the COPY, as a real loader would pay for it; 1,000 lines per write. */
function* copyChunks(rows: Row[]): Generator<string> {
  for (let i = 0; i < rows.length; i += 1000) yield rows.slice(i, i + 1000).map(copyLine).join('');
}

async function timeCopy(stack: ProductStack, rows: Row[]): Promise<number> {
  return withScratchTable(stack, 'bench_ingest_copy', async () => {
    const client = await stack.pool.connect();
    try {
      const started = performance.now();
      const copy = client.query(copyFrom(`COPY bench_ingest_copy (${COLUMNS.join(', ')}) FROM STDIN`));
      await pipeline(Readable.from(copyChunks(rows)), copy);
      return (performance.now() - started) / 1000;
    } finally {
      client.release();
    }
  });
}

/** The naive approach: one INSERT per row, each its own transaction. */
async function timeRowByRow(stack: ProductStack, rows: Row[]): Promise<number> {
  return withScratchTable(stack, 'bench_ingest_rows', async () => {
    const client = await stack.pool.connect();
    try {
      const sql = `INSERT INTO bench_ingest_rows (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
      const started = performance.now();
      for (const row of rows) await client.query(sql, COLUMNS.map((column) => row[column]));
      return (performance.now() - started) / 1000;
    } finally {
      client.release();
    }
  });
}
