import type { Client } from '@temporalio/client';
import pg from 'pg';
import type { Logger } from 'pino';
import { consumerWorkflowId } from '../common/workflow-ids';
import { listConsumersBehind } from '../db/queries/consumers';
import { CONSUMER_NOTIFICATIONS_WORKFLOW_TYPE, type ConsumerNotificationsWorkflow } from '../common/workflow-types';
import { changesAvailableSignal } from '../workflows/consumer-definitions';

export interface ChangeNotifierOptions {
  databaseUrl: string;
  pool: pg.Pool;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** Commits within this window wake each consumer's workflow once (default 250 ms). */
  coalesceMs?: number;
  /** A check without any NOTIFY, covering a connection lost between a commit and its notification (default 60 s). */
  sweepMs?: number;
}

/**
 * Wakes the notification workflow of each consumer with a URL when changes commit: LISTENs on `fc_changes` (sent by
 * the change triggers on commit) and signal-with-starts `fc-consumer/<name>` once per consumer per new head, so a
 * burst of commits costs one signal each. Every worker may run one: the workflows coalesce duplicate signals.
 */
export async function startChangeNotifier(options: ChangeNotifierOptions): Promise<{ stop(): Promise<void> }> {
  const coalesceMs = options.coalesceMs ?? 250;
  const signalledSeq = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let listener: pg.Client | undefined;
  let checking = Promise.resolve();

  const check = async (): Promise<void> => {
    for (const { name, lastSeq } of await listConsumersBehind(options.pool)) {
      if ((signalledSeq.get(name) ?? 0) >= lastSeq) continue;
      await options.temporal.workflow.signalWithStart<ConsumerNotificationsWorkflow, []>(CONSUMER_NOTIFICATIONS_WORKFLOW_TYPE, {
        workflowId: consumerWorkflowId(name),
        taskQueue: options.taskQueue,
        args: [{ consumer: name }],
        signal: changesAvailableSignal,
        staticSummary: `"changes available" notifications to change feed consumer ${name}`,
      });
      signalledSeq.set(name, lastSeq);
    }
  };
  const schedule = (): void => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      checking = checking.then(check).catch((err: unknown) => options.logger.warn({ err }, 'change notifier check failed; retried on the next commit or sweep'));
    }, coalesceMs);
  };

  let reconnecting = false;
  const reconnect = (): void => {
    if (stopped || reconnecting) return;
    reconnecting = true;
    setTimeout(() => {
      reconnecting = false;
      connect().catch(reconnect);
    }, 1_000);
  };
  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000 });
    client.on('notification', schedule);
    client.on('error', () => {});
    client.on('end', () => {
      if (stopped) return;
      options.logger.warn('change notifier lost its LISTEN connection; reconnecting');
      reconnect();
    });
    await client.connect();
    await client.query('LISTEN fc_changes');
    listener = client;
    schedule(); // commits made while not listening
  };
  // Never holds the worker's start: without Postgres it keeps trying in the background, and the sweep covers the gap.
  connect().catch((err: unknown) => {
    options.logger.warn({ err }, 'change notifier could not LISTEN yet; retrying');
    reconnect();
  });
  const sweep = setInterval(schedule, options.sweepMs ?? 60_000);

  return {
    async stop() {
      stopped = true;
      clearInterval(sweep);
      if (timer) clearTimeout(timer);
      await checking;
      await listener?.end().catch(() => {});
    },
  };
}
