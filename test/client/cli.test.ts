import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freePort } from '../../db/local-postgres';
import { startFixtureWorker, uniqueAccountId, type FixtureWorker } from '../webhooks/support/fixture-worker';
import { fcRefresh, fcRefreshInProcess } from '../helpers/cli';

let worker: FixtureWorker;

beforeAll(async () => {
  worker = await startFixtureWorker(fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url)));
});

afterAll(async () => {
  await worker?.stop();
});

function temporalEnv(): Record<string, string> {
  return { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: worker.taskQueue };
}

describe('exit codes', () => {
  // Through the npm bin launcher in a process of its own, as a user runs it; the other cases run the same program in
  // this process (test/helpers/cli.ts), and test/client/cli-real-stack.test.ts runs real processes against a stack.
  test('--help exits 0', async () => {
    const run = await fcRefresh(['refresh', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--max-attempts');
  });

  test('an unknown feature exits 2 without contacting Temporal', async () => {
    const run = await fcRefreshInProcess(['refresh', 'salary', 'fca_123'], temporalEnv());
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('"salary" is not a feature');
  });

  test('an unknown command or bad configuration exits 2', async () => {
    expect((await fcRefreshInProcess(['refesh'])).code).toBe(2);
    expect((await fcRefreshInProcess(['status', 'fca_123'], { TEMPORAL_ADDRESS: 'no-port' })).code).toBe(2);
    expect((await fcRefreshInProcess(['refresh', 'balance', 'fca_123', '--max-attempts', 'zero'])).code).toBe(2);
  });

  test('an unreachable Temporal server exits 3', async () => {
    const run = await fcRefreshInProcess(['refresh', 'balance', 'fca_123'], { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot reach Temporal');
  });

  test('migrate against an unreachable Postgres exits 3', async () => {
    const run = await fcRefreshInProcess(['migrate'], { DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${await freePort()}/postgres` });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot reach Postgres');
  });
});

describe('refresh and status', () => {
  test('refresh --wait --json prints the result and exits 0 when the refresh succeeded', async () => {
    const accountId = uniqueAccountId();
    const run = await fcRefreshInProcess(['refresh', 'balance', accountId, '--wait', '--json'], temporalEnv());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ accountId, feature: 'balance', outcome: 'succeeded' });
  });

  test('refresh --wait exits 1 and prints why when the refresh failed; non-TTY progress is plain lines', async () => {
    const accountId = uniqueAccountId('fail');
    const run = await fcRefreshInProcess(['refresh', 'ownership', accountId, '--wait'], temporalEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`ownership ${accountId}: failed`);
    expect(run.stdout).toContain('error: institution_unavailable');
    expect(run.stderr).toContain(`ownership ${accountId}: pending · attempt 1`);
    expect(run.stderr).not.toContain('\r');
  });

  test('refresh without --wait reports started, then joined; status shows it running', async () => {
    const accountId = uniqueAccountId('hold');
    const first = await fcRefreshInProcess(['refresh', 'transactions', accountId, '--json'], temporalEnv());
    const second = await fcRefreshInProcess(['refresh', 'transactions', accountId], temporalEnv());
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ joined: false });
    expect(second).toMatchObject({ code: 0, stdout: expect.stringContaining('joined running refresh') });

    const status = await fcRefreshInProcess(['status', accountId, '--json'], temporalEnv());
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject([{ feature: 'transactions', execution: 'running', status: { phase: 'pending' } }]);
    await worker.client.workflow.getHandle(JSON.parse(first.stdout).workflowId).terminate('test done');
  });

  test('status of an account never refreshed exits 1', async () => {
    const run = await fcRefreshInProcess(['status', uniqueAccountId()], temporalEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('no refreshes found');
  });
});

describe('setup and migrate', () => {
  test('setup registers the search attributes on a namespace once, and is a no-op after', async () => {
    const namespace = `fc-setup-${randomBytes(4).toString('hex')}`;
    await worker.client.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    const env = { ...temporalEnv(), TEMPORAL_NAMESPACE: namespace };

    const first = await fcRefreshInProcess(['setup'], env);
    const second = await fcRefreshInProcess(['setup'], env);

    expect(first).toMatchObject({ code: 0, stdout: `registered FcAccountId, FcFeature, FcRefreshStatus on ${namespace}\n` });
    expect(second).toMatchObject({ code: 0, stdout: `search attributes already registered on ${namespace}\n` });
  });

  test('with a Temporal Cloud API key, setup prints what to do in the Cloud UI or tcld', async () => {
    const run = await fcRefreshInProcess(['setup'], { TEMPORAL_API_KEY: 'key', TEMPORAL_NAMESPACE: 'fc.abc12' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('tcld namespace search-attributes add --namespace fc.abc12 --sa "FcAccountId=Keyword"');
  });

  test('migrate applies the schema to an empty database, then finds it up to date', async () => {
    const databaseUrl = await emptyDatabase();

    const first = await fcRefreshInProcess(['migrate'], { DATABASE_URL: databaseUrl });
    const second = await fcRefreshInProcess(['migrate'], { DATABASE_URL: databaseUrl });

    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^applied 1700000000000_initial-schema\n/) });
    expect(second).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
  });

  test('migrate goes to DATABASE_SESSION_URL when set (its advisory lock needs a session, not a transaction pooler)', async () => {
    const databaseUrl = await emptyDatabase();
    const nothingListening = `postgres://postgres:postgres@127.0.0.1:${await freePort()}/postgres`;
    const run = await fcRefreshInProcess(['migrate'], { DATABASE_URL: nothingListening, DATABASE_SESSION_URL: databaseUrl });
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^applied 1700000000000_initial-schema\n/) });
  });
});

async function emptyDatabase(): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(inject('databaseUrl'));
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).finally(() => admin.end());
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}
