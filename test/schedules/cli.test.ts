import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { dailySyncScheduleId } from '../../client/schedules';
import { loadConfig } from '../../common/node/config';
import { applyDailySyncOnStart } from '../../workers/daily-sync-on-start';
import { fcRefreshInProcess } from '../helpers/cli';

// Schedules need only the Temporal server: nothing here starts a workflow.
const taskQueue = `test-${randomBytes(4).toString('hex')}`;
const workerStartQueue = `${taskQueue}-worker-start`;
let client: Client;
beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});
afterAll(async () => {
  for (const queue of [taskQueue, workerStartQueue]) await client.schedule.getHandle(dailySyncScheduleId(queue)).delete().catch(() => {});
  await client?.connection.close();
});

const env = (queue = taskQueue): Record<string, string> => ({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: queue });

test('schedules apply: created, then unchanged; a changed flag updates it; show prints the applied settings', async () => {
  const scheduleId = dailySyncScheduleId(taskQueue);
  expect(await fcRefreshInProcess(['schedules', 'apply', '--page-size', '200', '--concurrency', '20'], env())).toMatchObject({ code: 0, stdout: `schedule ${scheduleId}: created\n` });
  expect(await fcRefreshInProcess(['schedules', 'apply', '--concurrency', '20', '--page-size', '200'], env())).toMatchObject({ code: 0, stdout: `schedule ${scheduleId}: unchanged\n` });
  const updated = await fcRefreshInProcess(['schedules', 'apply', '--hour', '7', '--minute', '15', '--timezone', 'America/New_York', '--json'], env());
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout)).toEqual({ scheduleId, outcome: 'updated' });

  const shown = await fcRefreshInProcess(['schedules', 'show', '--json'], env());
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.stdout)).toMatchObject({
    scheduleId,
    paused: false,
    config: { taskQueue, hour: 7, minute: 15, timezone: 'America/New_York', jitterSeconds: 600, catchupWindowSeconds: 21_600, sync: {} },
  });
  const text = await fcRefreshInProcess(['schedules', 'show'], env());
  expect(text.stdout).toContain('daily at 07:15 America/New_York, jitter 600s, catch-up window 21600s');
});

test('schedules pause and unpause; bad flags exit 2; a schedule never applied exits 1', async () => {
  expect(await fcRefreshInProcess(['schedules', 'pause', '--note', 'bank maintenance'], env())).toMatchObject({ code: 0 });
  expect(JSON.parse((await fcRefreshInProcess(['schedules', 'show', '--json'], env())).stdout)).toMatchObject({ paused: true, note: 'bank maintenance' });
  expect(await fcRefreshInProcess(['schedules', 'unpause'], env())).toMatchObject({ code: 0 });
  expect(JSON.parse((await fcRefreshInProcess(['schedules', 'show', '--json'], env())).stdout)).toMatchObject({ paused: false });

  expect((await fcRefreshInProcess(['schedules', 'apply', '--hour', '24'], env())).code).toBe(2);
  expect((await fcRefreshInProcess(['schedules', 'apply', '--timezone', 'Mars/Olympus'], env())).code).toBe(2);
  const missing = await fcRefreshInProcess(['schedules', 'show'], env(`${taskQueue}-none`));
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('create it with `fc-refresh schedules apply`');
});

test('FC_DAILY_SYNC_APPLY_ON_START creates the schedule with the defaults at worker start and never undoes settings applied since', async () => {
  const config = loadConfig(['temporal', 'schedule'], { ...env(workerStartQueue), FC_DAILY_SYNC_APPLY_ON_START: 'true' });
  await applyDailySyncOnStart(config);
  const scheduleId = dailySyncScheduleId(workerStartQueue);
  expect(await fcRefreshInProcess(['schedules', 'apply'], env(workerStartQueue))).toMatchObject({ code: 0, stdout: `schedule ${scheduleId}: unchanged\n` });
  expect(await fcRefreshInProcess(['schedules', 'apply', '--concurrency', '25'], env(workerStartQueue))).toMatchObject({ code: 0, stdout: `schedule ${scheduleId}: updated\n` });
  await applyDailySyncOnStart(config);
  expect(JSON.parse((await fcRefreshInProcess(['schedules', 'show', '--json'], env(workerStartQueue))).stdout)).toMatchObject({ config: { sync: { concurrency: 25 } } });
  expect(() => loadConfig(['schedule'], { FC_DAILY_SYNC_APPLY_ON_START: 'yes' })).toThrow('FC_DAILY_SYNC_APPLY_ON_START must be true or false');
});
