// The chaos run on a Temporal cluster (cluster/temporal-cluster.ts): frontend, two history nodes, matching and
// worker as separate processes on a Postgres server of their own, so the application Postgres' stops and crashes
// stay the faults they are in the dev-server run. The cluster's faults replace the dev server's restart:
// a history node SIGKILLed while refreshes wait (its shards move to the survivor) and started again later,
// the matching service SIGKILLed and started again (there is one), and the frontend restarted.
import { join } from 'node:path';
import { openClusterPostgres } from '../cluster/postgres-endpoint';
import { startTemporalCluster } from '../cluster/temporal-cluster';
import type { TemporalUnderChaos } from './chaos-temporal';
import { sleep } from './measure';

export interface ClusterFaultPlan {
  historyKillAt: number;
  /** When the killed history node starts again; its shards are rebalanced onto it. */
  historyRestartAt: number;
  matchingKillAt: number;
  matchingDownSeconds: number;
  frontendRestartAt: number;
}

const KILLED_HISTORY_NODE = 'history-1';

export async function clusterUnderChaos(scratch: string, plan: ClusterFaultPlan, log: (message: string) => void): Promise<TemporalUnderChaos> {
  const postgres = await openClusterPostgres({ dataDir: join(scratch, 'cluster'), persistent: false });
  const cluster = await startTemporalCluster({ postgres: postgres.endpoint, logDir: join(scratch, 'cluster-logs'), log }).catch(async (err: unknown) => {
    await postgres.stop();
    throw err;
  });
  const done = { historyKills: 0, historyRestarts: 0, matchingKills: 0, frontendRestarts: 0 };
  const timed = async (what: string, step: () => Promise<void>): Promise<void> => {
    const started = Date.now();
    await step();
    log(`chaos: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };
  return {
    address: cluster.address,
    description: `Temporal cluster ${cluster.address} (${cluster.processes.map((p) => p.name).join(', ')}; logs ${cluster.logDir})`,
    faults: [
      {
        seconds: plan.historyKillAt,
        run: async () => {
          log(`chaos: SIGKILL ${KILLED_HISTORY_NODE} (its shards move to the other history node)`);
          await cluster.stopProcess(KILLED_HISTORY_NODE, 'kill');
          done.historyKills += 1;
        },
      },
      {
        seconds: plan.historyRestartAt,
        run: () => timed(`${KILLED_HISTORY_NODE} started again`, async () => {
          await cluster.startProcess(KILLED_HISTORY_NODE);
          done.historyRestarts += 1;
        }),
      },
      {
        seconds: plan.matchingKillAt,
        run: async () => {
          log(`chaos: SIGKILL matching, down ${plan.matchingDownSeconds} s`);
          await cluster.stopProcess('matching', 'kill');
          done.matchingKills += 1;
          await sleep(plan.matchingDownSeconds * 1000);
          await timed('matching started again', () => cluster.startProcess('matching'));
        },
      },
      {
        seconds: plan.frontendRestartAt,
        run: () => timed('frontend restarted (SIGTERM, then started again)', async () => {
          await cluster.stopProcess('frontend', 'term');
          await cluster.startProcess('frontend');
          done.frontendRestarts += 1;
        }),
      },
    ],
    report: () => ({ cluster: { ...done, serverProcesses: cluster.processes.map((p) => p.name) } }),
    async stop() {
      await cluster.stop();
      await postgres.stop();
    },
  };
}
