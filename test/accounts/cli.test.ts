import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { getAccountState } from '../../client/accounts';
import { fcRefreshInProcess } from '../helpers/cli';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const temporalEnv = (): Record<string, string> => ({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: stack.taskQueue });

test('accounts add registers once, then reports the account already registered; show and list print it', async () => {
  await stack.simulator.dropWebhooks({ count: 1 }); // account.created is lost: the CLI registers the account
  const account = await stack.simulator.createAccount();

  const first = await fcRefreshInProcess(['accounts', 'add', account.id], temporalEnv());
  const second = await fcRefreshInProcess(['accounts', 'add', account.id, '--json'], temporalEnv());

  expect(first).toMatchObject({ code: 0, stdout: `${account.id} registered (workflow fc-account/${account.id})\n` });
  expect(second.code).toBe(0);
  expect(JSON.parse(second.stdout)).toMatchObject({ accountId: account.id, alreadyRegistered: true });

  const shown = await fcRefreshInProcess(['accounts', 'show', account.id], temporalEnv());
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain(`${account.id}  running  workflow fc-account/${account.id}`);
  expect(shown.stdout).toContain('lifecycle: active · subscriptions: none');

  const listed = await fcRefreshInProcess(['accounts', 'list', '--json'], temporalEnv());
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ accountId: account.id, execution: 'running' })]));
});

test('subscribe on an inactive account exits 2 and says why; show of an unregistered account exits 1', async () => {
  const account = await stack.simulator.createAccount({ status: 'inactive' });
  await stack.simulator.waitForWebhooksIdle(); // account.created registered it…
  // …and its workflow has read it from Stripe: inactive. (A subscribe sent before that read still reaches Stripe,
  // which refuses it; not what this test is about.)
  await expect.poll(async () => (await getAccountState(stack.client, account.id)).state?.lifecycle).toBe('inactive');

  const run = await fcRefreshInProcess(['subscribe', account.id], temporalEnv());

  expect(run).toMatchObject({ code: 2, stdout: '' });
  expect(run.stderr).toBe(
    `fc-refresh: cannot subscribe ${account.id}: the account is inactive, and Stripe refuses subscriptions on inactive or disconnected accounts\n`,
  );
  expect((await stack.simulator.counters()).subscribeCalls[account.id] ?? 0).toBe(0);

  const unregistered = await fcRefreshInProcess(['accounts', 'show', 'fca_neverAdded'], temporalEnv());
  expect(unregistered.code).toBe(1);
  expect(unregistered.stderr).toContain('fca_neverAdded is not registered; register it first with `fc-refresh accounts add fca_neverAdded`');
});

test('subscribe on an active account prints its new subscriptions', async () => {
  const account = await stack.simulator.createAccount();
  await stack.simulator.waitForWebhooksIdle();
  const run = await fcRefreshInProcess(['subscribe', account.id], temporalEnv());
  expect(run).toMatchObject({ code: 0, stdout: `${account.id} subscribed; lifecycle: active · subscriptions: transactions · lifecycle events applied: 0\n` });
});
