// The worker SIGKILLed while it pages through an account's transactions: waits until a paging account's refresh row
// says `storing` and some of its pages are in Postgres, then kills the worker process running that sync.
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { refreshWorkflowId } from '../common/workflow-ids';
import type { WorkerFleet } from './chaos-fleet';
import { log, sleep } from './measure';

export interface PagingKill {
  accountId: string;
  /** Transactions stored for the account when the worker was killed. */
  storedAtKill: number;
}

/**
 * Kills the worker `kills` times, each time while a different paging account's first sync (`firstSyncSize`
 * transactions, tens of pages) is part-way stored.
 * Gives up quietly at `until` (ms since epoch): the report then shows fewer kills than planned.
 */
export async function killWorkerDuringPaging(
  pool: pg.Pool,
  client: Client,
  fleet: WorkerFleet,
  paging: { accountIds: string[]; firstSyncSize: number },
  kills: number,
  until: number,
): Promise<PagingKill[]> {
  const { accountIds, firstSyncSize } = paging;
  const done: PagingKill[] = [];
  const killed = new Set<string>();
  while (done.length < kills && Date.now() < until) {
    const { rows } = await pool
      .query<{ account_id: string; stored: number }>(
        `SELECT r.account_id, (SELECT count(*)::int FROM fc_transactions t WHERE t.account_id = r.account_id) AS stored
           FROM fc_refreshes r WHERE r.account_id = ANY($1) AND r.status = 'storing' AND r.feature = 'transactions'`,
        [accountIds.filter((id) => !killed.has(id))],
      )
      .catch(() => ({ rows: [] })); // Postgres may be down for another fault: try again
    const target = rows.find((row) => row.stored > 0 && row.stored < firstSyncSize);
    if (!target) {
      await sleep(100);
      continue;
    }
    killed.add(target.account_id);
    const victims = await fleet.killRunningActivityOf(client, refreshWorkflowId('transactions', target.account_id));
    log(`chaos: SIGKILLed ${victims} while ${target.account_id}'s transactions were stored (${target.stored} so far)`);
    done.push({ accountId: target.account_id, storedAtKill: target.stored });
  }
  return done;
}
