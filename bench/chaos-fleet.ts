// The chaos run's workers: N `npm run worker` processes on one task queue, each supervised (bench/chaos-worker.ts),
// as a process manager runs a fleet. One process for the dev-server run, three for the cluster run.
import type { Client } from '@temporalio/client';
import { SupervisedWorker, type WorkerEnv } from './chaos-worker';
import { log } from './measure';

export class WorkerFleet {
  readonly workers: SupervisedWorker[];
  private nextVictim = 0;

  constructor(env: WorkerEnv, size: number) {
    this.workers = Array.from({ length: size }, (_, i) => new SupervisedWorker(env, size === 1 ? 'worker' : `worker-${i + 1}`));
  }

  get size(): number {
    return this.workers.length;
  }

  get kills(): number {
    return this.workers.reduce((sum, worker) => sum + worker.kills, 0);
  }

  get unexpectedExits(): number {
    return this.workers.reduce((sum, worker) => sum + worker.unexpectedExits, 0);
  }

  async start(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.start()));
  }

  /** SIGKILLs the fleet's processes in turn, one per call, and starts a fresh one in its place. */
  async killNext(): Promise<string> {
    const index = this.nextVictim % this.workers.length;
    this.nextVictim += 1;
    log(`chaos: SIGKILL ${this.workers.length === 1 ? 'worker' : `worker-${index + 1}`}`);
    await (this.workers[index] as SupervisedWorker).killAndRestart();
    return this.workers.length === 1 ? 'worker' : `worker-${index + 1}`;
  }

  /**
   * SIGKILLs the process running the workflow's pending activity, found by its Temporal worker identity
   * (`pid@host`, the SDK's default); every process if none can be told (the activity is between attempts).
   */
  async killRunningActivityOf(client: Client, workflowId: string): Promise<string> {
    if (this.workers.length === 1) return this.killNext();
    const description = await client.workflowService
      .describeWorkflowExecution({ namespace: client.options.namespace, execution: { workflowId } })
      .catch(() => undefined);
    const pids = (description?.pendingActivities ?? []).map((activity) => Number(activity.lastWorkerIdentity?.split('@')[0]));
    const holders = this.workers.filter((worker) => worker.pid !== undefined && pids.includes(worker.pid));
    if (holders.length === 0) log(`chaos: no worker process holds ${workflowId}'s activity; killing every one`);
    const victims = holders.length > 0 ? holders : this.workers;
    await Promise.all(victims.map((worker) => worker.killAndRestart()));
    return victims.map((worker) => `worker-${this.workers.indexOf(worker) + 1}`).join(', ');
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }
}
