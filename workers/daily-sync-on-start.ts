import { connectTemporalClient } from '../client/connect';
import { applyDailySyncSchedule, dailySyncScheduleId, DEFAULT_DAILY_SYNC } from '../client/schedules';
import type { ConfigOf } from '../common/node/config';
import { logger } from '../common/node/logger';

/**
 * FC_DAILY_SYNC_APPLY_ON_START=true: the worker creates the daily sync schedule with the defaults when it does not
 * exist, so a deployment needs no separate step. Every worker of a fleet may do it (created, then kept); settings
 * applied with `fc-refresh schedules apply` are kept across restarts.
 */
export async function applyDailySyncOnStart(config: ConfigOf<'temporal'> & ConfigOf<'schedule'>): Promise<void> {
  if (config.FC_DAILY_SYNC_APPLY_ON_START !== 'true') return;
  const client = await connectTemporalClient(config);
  try {
    const outcome = await applyDailySyncSchedule(client, { ...DEFAULT_DAILY_SYNC, taskQueue: config.TEMPORAL_TASK_QUEUE }, { keepExisting: true });
    logger.info({ scheduleId: dailySyncScheduleId(config.TEMPORAL_TASK_QUEUE), outcome }, 'daily sync schedule applied');
  } finally {
    await client.connection.close();
  }
}
