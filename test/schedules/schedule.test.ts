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
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { ScheduleMissingError } from '../../client/errors';
import { runTimeoutSeconds, type DailySyncResult } from '../../workflows/sync-definitions';
import { startStack, type Stack } from '../helpers/stack';
import { DAILY_SYNC_WORKFLOW_TYPE } from '../../common/workflow-types';

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
  // A run still going when the next day is due delays that day, never drops it; the run's timeout bounds the delay.
  expect(updated.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 6 * 3600 * 1000 });
  expect(updated.action).toMatchObject({ workflowExecutionTimeout: runTimeoutSeconds({ pageSize: 50, concurrency: 5 }) * 1000 });
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

  const query = `WorkflowType = '${DAILY_SYNC_WORKFLOW_TYPE}' AND TaskQueue = '${stack.taskQueue}'`;
  await expect.poll(async () => (await stack.client.workflow.count(query)).count).toBe(1);
  const runs = [];
  for await (const execution of stack.client.workflow.list({ query })) runs.push(execution);
  const [run] = runs;
  expect(run?.workflowId).toMatch(new RegExp(`^fc-refresh/daily-sync/${stack.taskQueue}-`));
  const result = (await stack.client.workflow.getHandle(run?.workflowId ?? '').result()) as DailySyncResult;
  expect(result).toMatchObject({ accountsSeen: accounts.length, accountsSynced: accounts.length, accountsFailed: 0, transactionsAdded: 15 });
  // `schedules show` reports each recent run's totals, deferred accounts included.
  const recent = (await describeDailySync(stack.client, stack.taskQueue)).recentRuns.find((r) => r.workflowId === run?.workflowId);
  expect(recent?.result).toMatchObject({ status: 'completed', accountsSynced: accounts.length, accountsDeferred: 0 });
});

test("a worker start keeps an older version's settings but re-applies them with this version's overlap policy and timeout", async () => {
  const taskQueue = `${stack.taskQueue}-older`;
  const scheduleId = dailySyncScheduleId(taskQueue);
  const config = { ...DEFAULT_DAILY_SYNC, taskQueue, sync: { concurrency: 7 } };
  // As an earlier version applied it: SKIP (which dropped a day behind a long run), no run timeout, its own hash.
  await stack.client.schedule.create({
    scheduleId,
    spec: { calendars: [{ hour: 6, minute: 0 }] },
    action: { type: 'startWorkflow', workflowType: DAILY_SYNC_WORKFLOW_TYPE, workflowId: `fc-refresh/daily-sync/${taskQueue}`, taskQueue, args: [config.sync], memo: { fcRefreshConfigHash: 'older', fcRefreshConfig: config } },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  });
  try {
    expect(await applyDailySyncSchedule(stack.client, { ...DEFAULT_DAILY_SYNC, taskQueue }, { keepExisting: true })).toBe('upgraded');
    const upgraded = await stack.client.schedule.getHandle(scheduleId).describe();
    expect(upgraded.policies.overlap).toBe('BUFFER_ONE');
    expect(upgraded.action).toMatchObject({ args: [{ concurrency: 7 }], workflowExecutionTimeout: runTimeoutSeconds({ concurrency: 7 }) * 1000 });
    expect(await applyDailySyncSchedule(stack.client, { ...DEFAULT_DAILY_SYNC, taskQueue }, { keepExisting: true })).toBe('kept');
  } finally {
    await stack.client.schedule.getHandle(scheduleId).delete();
  }
});

test('operating a schedule that was never applied names the missing schedule', async () => {
  await expect(triggerDailySync(stack.client, `${stack.taskQueue}-none`)).rejects.toBeInstanceOf(ScheduleMissingError);
  await expect(describeDailySync(stack.client, `${stack.taskQueue}-none`)).rejects.toThrow(
    `no schedule fc-refresh/daily-transactions-sync/${stack.taskQueue}-none; create it with \`fc-refresh schedules apply\``,
  );
});
