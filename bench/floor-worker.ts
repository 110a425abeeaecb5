import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection } from '@temporalio/worker';
import { floorSignal } from './floor-workflow';
import { quietBundlerLogger } from '../workers/create-workers';
import { NAMESPACE } from './stack';

function createFloorActivities(client: Client, pool?: pg.Pool) {
  return {
    async noop(): Promise<void> {},
    /** Figure 2's floor row: one insert, one commit. */
    async recordRow(id: string): Promise<void> {
      if (!pool) throw new Error('recordRow needs the floor workers started with a pool');
      await pool.query(`UPDATE ${FLOOR_ROWS} SET recorded_at = now() WHERE id = $1`, [id]);
    },
    /** Like a refresh call whose webhook arrives right after: the signal is sent once the activity has answered. */
    async requestSignal(): Promise<void> {
      const workflowId = Context.current().info.workflowExecution?.workflowId;
      if (!workflowId) throw new Error('requestSignal runs only inside the floor workflow');
      setImmediate(() => {
        client.workflow.getHandle(workflowId).signal(floorSignal).catch((err: unknown) => {
          process.stderr.write(`floor signal to ${workflowId} failed: ${String(err)}\n`);
        });
      });
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;

/** Figure 2's floor rows: sent_at written before the signal-with-start, recorded_at by the workflow's activity. */
export const FLOOR_ROWS = 'bench_floor_rows';

/** The floor workflow's two workers (workflows with local activities, and the "remote" activity queue), running. */
export async function startFloorWorkers(connection: NativeConnection, client: Client, taskQueue: string, pool?: pg.Pool): Promise<{ stop(): Promise<void> }> {
  const activities = createFloorActivities(client, pool);
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)),
    logger: quietBundlerLogger,
  });
  const workers = [
    await Worker.create({ connection, namespace: NAMESPACE, taskQueue, workflowBundle: bundle, activities }),
    await Worker.create({ connection, namespace: NAMESPACE, taskQueue: `${taskQueue}-remote`, activities }),
  ];
  const running = Promise.all(workers.map((worker) => worker.run()));
  return {
    async stop() {
      for (const worker of workers) worker.shutdown();
      await running;
    },
  };
}
