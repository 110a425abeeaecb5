import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  getAccountState,
  listAccounts,
  registerAccount,
  subscribeTransactions,
  unsubscribeTransactions,
} from '../../client/accounts';
import { AccountInactiveError, AccountNotRegisteredError } from '../../client/errors';
import { accountWorkflowId } from '../../common/workflow-ids';
import { settleTransactionRefreshes, storedTransactions, truthTransactions } from '../helpers/sync';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function lifecycleOf(accountId: string): Promise<string | undefined> {
  return (await getAccountState(stack.client, accountId)).state?.lifecycle;
}

describe('registering accounts', () => {
  test('register is idempotent; show and list report what the account workflow knows', async () => {
    // Lose account.created, so the receiver does not register the account before the client does.
    await stack.simulator.dropWebhooks({ count: 1 });
    const account = await stack.simulator.createAccount({ subscriptions: ['transactions'] });

    const first = await registerAccount(stack.client, { accountId: account.id, taskQueue: stack.taskQueue });
    const second = await registerAccount(stack.client, { accountId: account.id, taskQueue: stack.taskQueue });

    expect(first).toMatchObject({ accountId: account.id, workflowId: accountWorkflowId(account.id), alreadyRegistered: false });
    expect(second).toMatchObject({ runId: first.runId, alreadyRegistered: true });
    // Registration loads the account from Stripe: the subscription made at link time is known.
    await expect.poll(async () => (await getAccountState(stack.client, account.id)).state?.subscriptions).toEqual(['transactions']);
    expect(await getAccountState(stack.client, account.id)).toMatchObject({ execution: 'running', failure: null, state: { lifecycle: 'active' } });
    await expect
      .poll(async () => (await listAccounts(stack.client, { taskQueue: stack.taskQueue })).map((listing) => listing.accountId))
      .toContain(account.id);
  });

  test('an account Stripe does not know: its workflow fails and show says why; one never registered is named', async () => {
    await registerAccount(stack.client, { accountId: 'fca_unknownToStripe', taskQueue: stack.taskQueue });
    await expect.poll(async () => (await getAccountState(stack.client, 'fca_unknownToStripe')).execution).toBe('failed');
    expect((await getAccountState(stack.client, 'fca_unknownToStripe')).failure).toContain('no Financial Connections account fca_unknownToStripe');

    await expect(getAccountState(stack.client, 'fca_neverRegistered')).rejects.toBeInstanceOf(AccountNotRegisteredError);
    await expect(subscribeTransactions(stack.client, 'fca_neverRegistered')).rejects.toThrow('fca_neverRegistered is not registered');
  });
});

describe('subscriptions follow the lifecycle', () => {
  test('subscribe and unsubscribe on an active account; both refused with AccountInactiveError while it is inactive', async () => {
    const account = await stack.simulator.createAccount({ transactionCount: 12 });
    await stack.simulator.waitForWebhooksIdle();

    expect(await subscribeTransactions(stack.client, account.id)).toMatchObject({ subscriptions: ['transactions'] });
    await settleTransactionRefreshes(stack, account.id);
    expect(await storedTransactions(stack, account.id)).toEqual(await truthTransactions(stack, account.id));
    expect(await unsubscribeTransactions(stack.client, account.id)).toMatchObject({ subscriptions: [] });

    await stack.simulator.deactivateAccount(account.id);
    await stack.simulator.waitForWebhooksIdle();
    await expect.poll(() => lifecycleOf(account.id)).toBe('inactive');
    const refused = await subscribeTransactions(stack.client, account.id).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AccountInactiveError);
    expect(refused).toMatchObject({ accountId: account.id, lifecycle: 'inactive', retryable: false });
    expect((refused as Error).message).toBe(
      `cannot subscribe ${account.id}: the account is inactive, and Stripe refuses subscriptions on inactive or disconnected accounts`,
    );
    await expect(unsubscribeTransactions(stack.client, account.id)).rejects.toBeInstanceOf(AccountInactiveError);
    expect((await stack.simulator.counters()).subscribeCalls[account.id]).toBe(1);
  });

  test('a disconnected account ends its workflow; subscribing is refused as disconnected', async () => {
    const account = await stack.simulator.createAccount();
    await stack.simulator.waitForWebhooksIdle();
    await stack.simulator.disconnectAccount(account.id);
    await stack.simulator.waitForWebhooksIdle();

    await expect.poll(async () => (await getAccountState(stack.client, account.id)).execution).toBe('completed');
    expect((await getAccountState(stack.client, account.id)).state).toMatchObject({ lifecycle: 'disconnected' });
    await expect(subscribeTransactions(stack.client, account.id)).rejects.toMatchObject({ name: 'AccountInactiveError', lifecycle: 'disconnected' });
  });
});
