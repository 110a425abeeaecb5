import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { fcRefresh, fcRefreshInProcess } from '../helpers/cli';
import { startStack, type Stack } from '../helpers/stack';

// The CLI against the real worker and the simulator: what a user sees for a good and a wrong account id.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const env = (): Record<string, string> => ({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: stack.taskQueue });

test('refresh --wait of an existing account succeeds with exit 0', async () => {
  const account = await stack.simulator.createAccount({ balance: { current: { usd: 10 } } });
  const run = await fcRefresh(['refresh', 'balance', account.id, '--wait', '--json'], env());
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'succeeded', accountId: account.id });
});

// In this process: the launcher's start-up is already covered above, and costs seconds of CPU per run.
test('refresh --wait of an unknown account exits 1 and says account_not_found', async () => {
  const run = await fcRefreshInProcess(['refresh', 'ownership', 'fca_doesNotExist', '--wait'], env());
  expect(run.code).toBe(1);
  expect(`${run.stdout}${run.stderr}`).toMatch(/account_not_found/);
});
