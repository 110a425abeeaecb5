import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  applyDailySyncSchedule,
  DEFAULT_DAILY_SYNC,
  describeDailySync,
  pauseDailySync,
  triggerDailySync,
  unpauseDailySync,
  dailySyncScheduleId,
} from '../../client/schedules';
import { ScheduleMissingError } from '../../client/errors';
import type { DailySyncResult } from '../../workflows/sync-definitions';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.client.schedule.getHandle(dailySyncScheduleId(stack.taskQueue)).delete().catch(() => {});
  await stack?.close();
});

test('apply creates the schedule, changes nothing when applied again, and updates it when a setting changes', async () => {
  const config = { ...DEFAULT_DAILY_SYNC, taskQueue: stack.taskQueue, sync: { pageSize: 50, concurrency: 5 } };
  expect(await applyDailySyncSchedule(stack.client, config)).toBe('created');
  const created = await stack.client.schedule.getHandle(dailySyncScheduleId(stack.taskQueue)).describe();

  // The same settings in another key order (as another caller builds them) are the same config.
  const { hour, minute, timezone, jitterSeconds, catchupWindowSeconds } = DEFAULT_DAILY_SYNC;
  const reordered = { sync: { concurrency: 5, pageSize: 50 }, catchupWindowSeconds, jitterSeconds, timezone, minute, hour, taskQueue: stack.taskQueue };
  expect(await applyDailySyncSchedule(stack.client, reordered)).toBe('unchanged');
  const unchanged = await stack.client.schedule.getHandle(dailySyncScheduleId(stack.taskQueue)).describe();
  expect(unchanged.raw.conflictToken).toEqual(created.raw.conflictToken);

  expect(await applyDailySyncSchedule(stack.client, { ...config, hour: 7 })).toBe('updated');
  const updated = await stack.client.schedule.getHandle(dailySyncScheduleId(stack.taskQueue)).describe();
  expect(updated.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
  expect(updated.spec.timezone).toBe('UTC');
  expect(updated.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 6 * 3600 * 1000 });
  expect((await describeDailySync(stack.client, stack.taskQueue)).config).toMatchObject({ hour: 7, sync: { pageSize: 50, concurrency: 5 } });
});

test('pause and unpause keep their note; a paused schedule stays paused when its settings change', async () => {
  await pauseDailySync(stack.client, stack.taskQueue, 'bank maintenance');
  expect(await describeDailySync(stack.client, stack.taskQueue)).toMatchObject({ paused: true, note: 'bank maintenance' });
  expect(await applyDailySyncSchedule(stack.client, { ...DEFAULT_DAILY_SYNC, taskQueue: stack.taskQueue, minute: 30 })).toBe('updated');
  expect(await describeDailySync(stack.client, stack.taskQueue)).toMatchObject({ paused: true, config: { minute: 30 } });

  await unpauseDailySync(stack.client, stack.taskQueue);
  const report = await describeDailySync(stack.client, stack.taskQueue);
  expect(report).toMatchObject({ paused: false, note: 'unpaused with fc-refresh schedules unpause' });
  expect(report.nextRunTimes[0]?.getTime()).toBeGreaterThan(Date.now());
});

test('trigger starts a daily sync run now, found by visibility, which covers every active account', async () => {
  const accounts = await Promise.all([1, 2, 3].map(() => stack.simulator.createAccount({ transactionCount: 5 })));
  await stack.simulator.waitForWebhooksIdle(); // account.created stored each one in fc_accounts

  await triggerDailySync(stack.client, stack.taskQueue);

  const query = `WorkflowType = 'dailySyncWorkflow' AND TaskQueue = '${stack.taskQueue}'`;
  await expect.poll(async () => (await stack.client.workflow.count(query)).count, { timeout: 15_000 }).toBe(1);
  const runs = [];
  for await (const execution of stack.client.workflow.list({ query })) runs.push(execution);
  const [run] = runs;
  expect(run?.workflowId).toMatch(new RegExp(`^fc-refresh/daily-sync/${stack.taskQueue}-`));
  const result = (await stack.client.workflow.getHandle(run?.workflowId ?? '').result()) as DailySyncResult;
  expect(result).toMatchObject({ accountsSeen: accounts.length, accountsSynced: accounts.length, accountsFailed: 0, transactionsAdded: 15 });
  expect((await describeDailySync(stack.client, stack.taskQueue)).recentRuns.map((recent) => recent.workflowId)).toContain(run?.workflowId);
});

test('operating a schedule that was never applied names the missing schedule', async () => {
  await expect(triggerDailySync(stack.client, `${stack.taskQueue}-none`)).rejects.toBeInstanceOf(ScheduleMissingError);
  await expect(describeDailySync(stack.client, `${stack.taskQueue}-none`)).rejects.toThrow(
    `no schedule fc-refresh/daily-transactions-sync/${stack.taskQueue}-none; create it with \`fc-refresh schedules apply\``,
  );
});
