import { createHash } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { DAILY_SYNC_WORKFLOW_TYPE, type DailySyncWorkflow } from '../common/workflow-types';
import {
  dailySyncProgressQuery,
  emptyTotals,
  runTimeoutSeconds,
  type DailySyncProgress,
  type DailySyncResult,
  type DailySyncSettings,
} from '../workflows/sync-definitions';
import { ScheduleMissingError } from './errors';
import { queryWithin } from './query-within';
import { toUnavailableError } from './temporal-errors';

/**
 * One schedule per task queue: deployments sharing a namespace (or test files sharing a dev server) each get their
 * own, and the workflow ids it starts (its id plus the start time) never collide.
 */
export function dailySyncScheduleId(taskQueue: string): string {
  return `fc-refresh/daily-transactions-sync/${taskQueue}`;
}

export interface DailySyncScheduleConfig {
  taskQueue: string;
  /** Local time of day the sync starts, in `timezone`. */
  hour: number;
  minute: number;
  /** IANA time zone, e.g. America/New_York (default UTC). */
  timezone: string;
  /** Random delay added to each start, spreading load across deployments (default 10 minutes). */
  jitterSeconds: number;
  /** Missed runs (server down) within this window are still taken when it comes back (default 6 hours). */
  catchupWindowSeconds: number;
  sync: DailySyncSettings;
}

export const DEFAULT_DAILY_SYNC: Omit<DailySyncScheduleConfig, 'taskQueue'> = {
  hour: 6,
  minute: 0,
  timezone: 'UTC',
  jitterSeconds: 600,
  catchupWindowSeconds: 6 * 3600,
  sync: {},
};

/**
 * `kept`: the schedule existed and `keepExisting` left its settings as they were. `upgraded`: `keepExisting` kept its
 * settings but re-applied them in this version's form (overlap policy, run timeout).
 */
export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'kept' | 'upgraded';

/** One recent run as `schedules show` reports it: its totals once it finished (null while running or if it failed). */
export interface RecentDailySync {
  workflowId: string;
  scheduledAt: Date;
  takenAt: Date;
  result: DailySyncResult | null;
}

/** What `schedules show` prints: the applied config (from the action's memo) and the schedule's live state. */
export interface DailySyncScheduleReport {
  scheduleId: string;
  /** The config last applied; null when the schedule was made by something other than applyDailySyncSchedule. */
  config: DailySyncScheduleConfig | null;
  paused: boolean;
  note: string | null;
  nextRunTimes: Date[];
  recentRuns: RecentDailySync[];
  runningWorkflowIds: string[];
  /** Live totals of each running run (null when it could not be asked, e.g. no worker is up). */
  running: { workflowId: string; progress: DailySyncProgress | null }[];
}

/**
 * Bumped when the schedule a config produces changes (overlap policy, run timeout): a schedule applied by an earlier
 * version then differs from its own config's hash, so even `keepExisting` re-applies its settings in the new form.
 */
const SCHEDULE_FORMAT = 2;

/** The sync settings in fixed order, unset ones left out. */
const SYNC_SETTING_KEYS = [
  'pageSize',
  'concurrency',
  'recentRefreshSeconds',
  'deferIfUnavailableForSeconds',
  'completionTimeoutSeconds',
  'childTimeoutSeconds',
  'runDeadlineSeconds',
  'maxHistoryEvents',
] as const satisfies readonly (keyof DailySyncSettings)[];

/** Fixed key order, so the same settings hash the same whichever caller (CLI, worker start) built the object. */
function canonicalConfig(config: DailySyncScheduleConfig): DailySyncScheduleConfig {
  const sync: DailySyncSettings = {};
  for (const key of SYNC_SETTING_KEYS) if (config.sync[key] !== undefined) sync[key] = config.sync[key];
  return {
    taskQueue: config.taskQueue,
    hour: config.hour,
    minute: config.minute,
    timezone: config.timezone,
    jitterSeconds: config.jitterSeconds,
    catchupWindowSeconds: config.catchupWindowSeconds,
    sync,
  };
}

function scheduleParts(input: DailySyncScheduleConfig) {
  const config = canonicalConfig(input);
  // The config's hash travels in the action's memo: applying the same config again is a no-op.
  const configHash = createHash('sha256').update(JSON.stringify({ format: SCHEDULE_FORMAT, config })).digest('hex').slice(0, 16);
  const action: ScheduleOptionsStartWorkflowAction<DailySyncWorkflow> = {
    type: 'startWorkflow',
    workflowType: DAILY_SYNC_WORKFLOW_TYPE,
    workflowId: `fc-refresh/daily-sync/${config.taskQueue}`,
    taskQueue: config.taskQueue,
    args: [config.sync],
    // A backstop: the run stops starting accounts at its own deadline and every child has a timeout, so it ends
    // before this; should anything still hold it, Temporal ends it and the next day's run starts.
    workflowExecutionTimeout: runTimeoutSeconds(config.sync) * 1000,
    memo: { fcRefreshConfigHash: configHash, fcRefreshConfig: config },
    staticSummary: 'daily transaction sync of every active account',
  };
  return {
    configHash,
    spec: {
      calendars: [{ hour: config.hour, minute: config.minute }],
      timezone: config.timezone,
      jitter: config.jitterSeconds * 1000,
    },
    action,
    // BUFFER_ONE: a run still going when the next is due is never joined by a second one (both would start the same
    // accounts' refreshes), and the next day is never dropped: it starts as soon as the current run ends, which the
    // run's deadline and execution timeout guarantee. SKIP silently dropped that day; ALLOW_ALL would double the load.
    policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: config.catchupWindowSeconds * 1000 },
  };
}

/**
 * Creates the daily sync schedule, or updates it when its config changed; keeps its paused state. With
 * `keepExisting`, an existing schedule is left as it is (a worker start must not undo `schedules apply` settings).
 */
export async function applyDailySyncSchedule(client: Client, config: DailySyncScheduleConfig, options: { keepExisting?: boolean } = {}): Promise<ApplyOutcome> {
  const scheduleId = dailySyncScheduleId(config.taskQueue);
  const { configHash, spec, action, policies } = scheduleParts(config);
  const handle = client.schedule.getHandle(scheduleId);
  try {
    const current = await handle.describe();
    const currentHash = current.action.type === 'startWorkflow' ? current.action.memo?.fcRefreshConfigHash : undefined;
    if (currentHash === configHash) return 'unchanged';
    if (options.keepExisting) {
      const applied = current.action.type === 'startWorkflow' ? (current.action.memo?.fcRefreshConfig as DailySyncScheduleConfig | undefined) : undefined;
      if (!applied) return 'kept';
      const reapplied = scheduleParts(applied);
      if (reapplied.configHash === currentHash) return 'kept';
      await handle.update((previous) => ({ ...previous, spec: reapplied.spec, action: reapplied.action, policies: reapplied.policies }));
      return 'upgraded';
    }
    await handle.update((previous) => ({ ...previous, spec, action, policies }));
    return 'updated';
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw toScheduleError(err, scheduleId);
  }
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
  } catch (err) {
    throw toScheduleError(err, scheduleId);
  }
  return 'created';
}

export async function pauseDailySync(client: Client, taskQueue: string, note = 'paused with fc-refresh schedules pause'): Promise<void> {
  await onSchedule(taskQueue, (scheduleId) => client.schedule.getHandle(scheduleId).pause(note));
}

export async function unpauseDailySync(client: Client, taskQueue: string, note = 'unpaused with fc-refresh schedules unpause'): Promise<void> {
  await onSchedule(taskQueue, (scheduleId) => client.schedule.getHandle(scheduleId).unpause(note));
}

/**
 * Starts a run now, paused or not. SKIP keeps it from overlapping one already running: that run covers every account
 * (the CLI says so), and a buffered manual run could take the buffer slot tomorrow's scheduled run needs. The run starts
 * asynchronously: find it by visibility (`WorkflowType = 'dailySyncWorkflow'`) or in `describeDailySync`.
 */
export async function triggerDailySync(client: Client, taskQueue: string): Promise<void> {
  await onSchedule(taskQueue, (scheduleId) => client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.SKIP));
}

export async function describeDailySync(client: Client, taskQueue: string): Promise<DailySyncScheduleReport> {
  return onSchedule(taskQueue, async (scheduleId) => {
    const described = await client.schedule.getHandle(scheduleId).describe();
    const memo = described.action.type === 'startWorkflow' ? described.action.memo : undefined;
    return {
      scheduleId,
      config: (memo?.fcRefreshConfig as DailySyncScheduleConfig | undefined) ?? null,
      paused: described.state.paused,
      note: described.state.note ?? null,
      nextRunTimes: described.info.nextActionTimes,
      recentRuns: await Promise.all(
        described.info.recentActions.slice(-RECENT_RUNS_SHOWN).map(async (run) => ({
          workflowId: run.action.workflow.workflowId,
          scheduledAt: run.scheduledAt,
          takenAt: run.takenAt,
          result: await finishedResult(client, run.action.workflow.workflowId),
        })),
      ),
      runningWorkflowIds: described.info.runningActions.map((run) => run.workflow.workflowId),
      running: await Promise.all(
        described.info.runningActions.map(async (run) => ({
          workflowId: run.workflow.workflowId,
          progress: await queryWithin(client, client.workflow.getHandle(run.workflow.workflowId), dailySyncProgressQuery),
        })),
      ),
    };
  });
}

const RECENT_RUNS_SHOWN = 5;

/** A closed run's result (the last run of its continue-as-new chain, which keeps the workflow id); null otherwise. */
async function finishedResult(client: Client, workflowId: string): Promise<DailySyncResult | null> {
  const handle = client.workflow.getHandle<DailySyncWorkflow>(workflowId);
  const execution = await handle.describe().catch(() => null);
  if (execution?.status.name !== 'COMPLETED') return null;
  // Runs from before deferral existed return no accountsDeferred.
  return { ...emptyTotals(), ...(await handle.result()) };
}

async function onSchedule<T>(taskQueue: string, act: (scheduleId: string) => Promise<T>): Promise<T> {
  const scheduleId = dailySyncScheduleId(taskQueue);
  try {
    return await act(scheduleId);
  } catch (err) {
    throw toScheduleError(err, scheduleId);
  }
}

function toScheduleError(err: unknown, scheduleId: string): unknown {
  if (err instanceof ScheduleNotFoundError) return new ScheduleMissingError(scheduleId);
  return toUnavailableError(err);
}
