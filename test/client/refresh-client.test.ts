import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Feature } from '../../common/features';
import { FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS } from '../../common/search-attributes';
import { refreshWorkflowId } from '../../common/workflow-ids';
import {
  cancelRefresh,
  connectTemporalClient,
  getRefreshStatus,
  InvalidInputError,
  refreshAndWait,
  RefreshFailedError,
  RefreshNotFoundError,
  startRefresh,
  TemporalUnavailableError,
  waitForRefresh,
} from '../../client';
import { freePort } from '../../db/local-postgres';
import { startFixtureWorker, uniqueAccountId, type FixtureWorker } from '../webhooks/support/fixture-worker';

let worker: FixtureWorker;

beforeAll(async () => {
  worker = await startFixtureWorker(fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url)));
});

afterAll(async () => {
  await worker?.stop();
});

describe('startRefresh', () => {
  test('a second request for the same account and feature joins the running refresh', async () => {
    const accountId = uniqueAccountId('hold');
    const request = { accountId, feature: 'balance' as const, taskQueue: worker.taskQueue };

    const first = await startRefresh(worker.client, request);
    const second = await startRefresh(worker.client, request);

    expect(first).toMatchObject({ workflowId: refreshWorkflowId('balance', accountId), joined: false });
    expect(second).toEqual({ ...first, joined: true });
    const execution = await worker.client.workflow.getHandle(first.workflowId).describe();
    expect(execution.typedSearchAttributes.get(FC_ACCOUNT_ID)).toBe(accountId);
    expect(execution.typedSearchAttributes.get(FC_FEATURE)).toBe('balance');
    expect(execution.typedSearchAttributes.get(FC_REFRESH_STATUS)).toBe('checking');
    await cancelRefresh(worker.client, accountId, 'balance');
  });

  test.each([
    ['an account id without the fca_ prefix', { accountId: 'acct_123', feature: 'balance' }, 'accountId'],
    ['an unknown feature', { accountId: 'fca_123', feature: 'salary' }, 'feature'],
    ['maxAttempts below 1', { accountId: 'fca_123', feature: 'balance', maxAttempts: 0 }, 'maxAttempts'],
  ])('rejects %s with InvalidInputError before reaching Temporal', async (_case, input, field) => {
    const attempt = startRefresh(worker.client, { ...input, feature: input.feature as Feature, taskQueue: worker.taskQueue });

    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toMatchObject({ field, retryable: false });
  });

  test('an unreachable server is a TemporalUnavailableError', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const connecting = connectTemporalClient({ temporal: { namespace: 'default', connectionOptions: { address } } }, { connectTimeoutMs: 1_000 });

    await expect(connecting).rejects.toBeInstanceOf(TemporalUnavailableError);
    await expect(connecting).rejects.toMatchObject({ address, retryable: true });
  });
});

describe('refreshAndWait', () => {
  test('resolves with the result when the refresh succeeded', async () => {
    const accountId = uniqueAccountId();

    const result = await refreshAndWait(worker.client, { accountId, feature: 'balance', taskQueue: worker.taskQueue });

    expect(result).toMatchObject({ accountId, feature: 'balance', trigger: 'request', outcome: 'succeeded', stored: { balanceCurrencies: 1 } });
  });

  test('rejects with RefreshFailedError carrying the result when Stripe reported the refresh failed', async () => {
    const accountId = uniqueAccountId('fail');

    const failure = await refreshAndWait(worker.client, { accountId, feature: 'ownership', taskQueue: worker.taskQueue }).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(RefreshFailedError);
    expect(failure).toMatchObject({
      accountId,
      feature: 'ownership',
      retryable: true,
      result: { outcome: 'failed', error: { code: 'institution_unavailable' } },
    });
  });
});

describe('getRefreshStatus and cancelRefresh', () => {
  test('a running refresh reports its live status; once cancelled it reports cancelled', async () => {
    const accountId = uniqueAccountId('hold');
    const started = await startRefresh(worker.client, { accountId, feature: 'transactions', taskQueue: worker.taskQueue });

    const running = await getRefreshStatus(worker.client, accountId, 'transactions');
    expect(running).toMatchObject({ workflowId: started.workflowId, runId: started.runId, execution: 'running', status: { phase: 'pending', attempts: 1 } });

    expect(await cancelRefresh(worker.client, accountId, 'transactions')).toEqual({ workflowId: started.workflowId, runId: started.runId, wasRunning: true });
    await expect(waitForRefresh(worker.client, started)).rejects.toMatchObject({ name: 'RefreshFailedError', result: null });
    expect(await getRefreshStatus(worker.client, accountId, 'transactions')).toMatchObject({ execution: 'cancelled', status: null, closedAt: expect.any(Date) });
    expect(await cancelRefresh(worker.client, accountId, 'transactions')).toMatchObject({ wasRunning: false });
  });

  test('a completed refresh reports its result; without a feature every refreshed feature is listed', async () => {
    const accountId = uniqueAccountId();
    await refreshAndWait(worker.client, { accountId, feature: 'balance', taskQueue: worker.taskQueue });

    const reports = await getRefreshStatus(worker.client, accountId);

    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ feature: 'balance', execution: 'completed', status: { outcome: 'succeeded' } });
  });

  test('an account never refreshed: RefreshNotFoundError for one feature, an empty list for all', async () => {
    const accountId = uniqueAccountId();

    await expect(getRefreshStatus(worker.client, accountId, 'ownership')).rejects.toBeInstanceOf(RefreshNotFoundError);
    expect(await getRefreshStatus(worker.client, accountId)).toEqual([]);
    await expect(cancelRefresh(worker.client, accountId, 'ownership')).rejects.toBeInstanceOf(RefreshNotFoundError);
  });
});
