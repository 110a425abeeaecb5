// The product behind a real PgBouncer in transaction mode (README "Behind PgBouncer"): the workers, the receiver and
// the change feed's reader share two server connections that PgBouncer hands to whichever transaction comes next.
// .ci/run installs Debian's pgbouncer; without one the file is skipped with the reason.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChangeFeed } from '../../client/change-feed';
import { registerConsumer } from '../../client/consumers';
import { decodeChangeCursor } from '../../common/change-cursor';
import { useNamedStatements } from '../../db/pool';
import { upsertTransactions } from '../../db/queries/transactions';
import { drain, expectContiguous } from '../changes/feed-helpers';
import { findPgBouncer, pgBouncerVersion } from '../helpers/pgbouncer';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';
import { storedTransactions, truthTransactions } from '../helpers/sync';

const SERVER_CONNECTIONS = 2;
const binary = findPgBouncer();
// From 1.21 PgBouncer can track named statements per client (max_prepared_statements), so the README's failure needs an older one.
const [major = 0, minor = 0] = (binary ? pgBouncerVersion(binary) : '0').split('.').map(Number);
const tracksNamedStatements = major > 1 || (major === 1 && minor >= 21);

describe.skipIf(!binary)('behind PgBouncer in transaction mode, FC_PG_NAMED_STATEMENTS=false', () => {
  let stack: Stack;
  beforeAll(async () => {
    // As workers/main.ts does for FC_PG_NAMED_STATEMENTS=false; test files share this process's modules, so it is
    // turned back on after.
    useNamedStatements(false);
    stack = await startStack({ behindPgBouncer: { serverConnections: SERVER_CONNECTIONS } });
  });
  afterAll(async () => {
    await stack?.close();
    useNamedStatements(true);
  });

  test('balance, ownership over pages, and transactions (a first sync of 12 pages, then an incremental one) land whole', async () => {
    await registerConsumer(stack.pool, { name: 'pooled' });
    const account = await stack.simulator.createAccount({ balance: { current: { usd: 4200 } }, ownerCount: 120, transactionCount: 1150, newTransactionsPerRefresh: 25, updatesPerRefresh: 10 });
    const outcomes = await Promise.all(
      (['balance', 'ownership', 'transactions'] as const).map(async (feature) => (await runRefresh(stack.client, stack.taskQueue, account.id, feature)).outcome),
    );
    expect(outcomes).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions')).outcome).toBe('succeeded');

    expect(await storedTransactions(stack, account.id)).toEqual(await truthTransactions(stack, account.id));
    const truth = await stack.simulator.groundTruth(account.id);
    const owners = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM fc_owners WHERE account_id = $1 AND ownership_id = $2', [account.id, truth.ownership?.id]);
    expect(owners.rows[0]?.n).toBe(truth.owners.length);
    const balance = await stack.pool.query('SELECT current FROM fc_balances WHERE account_id = $1', [account.id]);
    expect(balance.rows).toEqual([{ current: 4200 }]);

    // The change feed read through the pooler: every transaction added once, numbers without a gap.
    const { changes } = await drain(stack.pool, { consumer: 'pooled', limit: 500 });
    expect(expectContiguous(changes.map((change) => change.seq), changes[0]?.seq ?? 0)).toBe(true);
    const added = changes.filter((change) => change.kind === 'transaction.added' && change.accountId === account.id);
    expect(new Set(added.map((change) => ('transactionId' in change ? change.transactionId : ''))).size).toBe(added.length);
    expect(added.length).toBe(truth.transactions.length);
  });

  test('eight accounts synced at once share the two server connections: every refresh succeeds, every row lands', async () => {
    const accounts = await Promise.all(Array.from({ length: 8 }, () => stack.simulator.createAccount({ transactionCount: 450 })));
    const results = await Promise.all(accounts.map((account) => runRefresh(stack.client, stack.taskQueue, account.id, 'transactions')));
    expect(results.map((result) => result.outcome)).toEqual(accounts.map(() => 'succeeded'));
    for (const account of accounts) expect(await storedTransactions(stack, account.id)).toEqual(await truthTransactions(stack, account.id));
  });

  test('LISTEN on DATABASE_SESSION_URL (direct) hears a commit made through the pooler', async () => {
    const heard: number[] = [];
    const listening = await new ChangeFeed(stack.pool).listen((lastSeq) => heard.push(lastSeq), { connectionString: stack.databaseUrl });
    try {
      const head = decodeChangeCursor(await new ChangeFeed(stack.pool).head()) ?? 0;
      await stack.pool.query(
        `INSERT INTO fc_transactions (id, account_id, amount, currency, status, transacted_at, transaction_refresh_id, stripe_updated)
         VALUES ('fctxn_listened', 'fca_listened', -100, 'usd', 'pending', now(), 'fctxnref_listened', now())`,
      );
      await expect.poll(() => heard).toEqual([head + 1]);
    } finally {
      await listening.close();
    }
  });

  test.skipIf(tracksNamedStatements)('as the README warns, a named statement fails on a server connection that did not prepare it (PgBouncer before 1.21)', async () => {
    const pooled = new pg.Pool({ connectionString: stack.pooledUrl, max: 4 });
    pooled.on('error', () => {});
    const holder = await pooled.connect();
    const writer = await pooled.connect();
    try {
      // Two transactions held at once: PgBouncer opens both server connections.
      await holder.query('BEGIN');
      await writer.query('BEGIN');
      await holder.query('COMMIT');
      await writer.query('COMMIT');
      useNamedStatements(true);
      const page = (n: number) => [{ id: `fctxn_named${n}`, object: 'financial_connections.transaction' as const, account: 'fca_named', amount: -100, currency: 'usd', description: 'Coffee', livemode: false, status: 'posted' as const, status_transitions: { posted_at: 1_700_000_000, void_at: null }, transacted_at: 1_700_000_000, transaction_refresh: 'fctxnref_named', updated: 1_700_000_000 }];
      await upsertTransactions(writer, page(1)); // prepared on one server connection
      // The other connection is the only one left while this transaction holds the one just used.
      await holder.query('BEGIN');
      await holder.query('SELECT 1');
      const second = expect(upsertTransactions(writer, page(2))).rejects.toThrow(/prepared statement "fc_upsert_transactions" does not exist/);
      await holder.query('COMMIT');
      await second;
    } finally {
      useNamedStatements(false);
      holder.release();
      writer.release();
      await pooled.end();
    }
  });
});
