// `npm run worker` as a supervised child process, the way a process manager would run it: restarted when it dies on
// its own (e.g. it cannot reach Temporal while the server restarts), and SIGKILLed on demand by the chaos run.
import type { ChildProcess } from 'node:child_process';
import { killProcess, startWorkerProcess } from '../test/helpers/worker-process';
import { log, sleep } from './measure';

export interface WorkerEnv {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_TASK_QUEUE: string;
  DATABASE_URL: string;
  STRIPE_API_BASE: string;
}

export class SupervisedWorker {
  private child: ChildProcess | undefined;
  /** Every process started and not yet exited, so stop() leaves none behind whatever it interrupts. */
  private readonly alive = new Set<ChildProcess>();
  private stopped = false;
  private starting: Promise<void> | undefined;
  /** Exits nobody asked for, each followed by a restart. */
  unexpectedExits = 0;
  kills = 0;

  /** `name` tells the fleet's processes apart in the run's log. */
  constructor(
    private readonly env: WorkerEnv,
    private readonly name = 'worker',
  ) {}

  /** The running process' pid (its Temporal worker identity is `pid@host`), if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the worker, retrying until it reports "worker started". */
  start(): Promise<void> {
    this.starting ??= this.startUntilRunning().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startUntilRunning(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        const child = await startWorkerProcess(this.env);
        this.alive.add(child);
        child.once('exit', () => this.alive.delete(child));
        if (this.stopped) {
          await killProcess(child);
          return;
        }
        this.child = child;
        child.once('exit', (code, signal) => {
          if (this.child !== child || this.stopped) return;
          this.child = undefined;
          this.unexpectedExits += 1;
          log(`chaos: ${this.name} exited by itself (${signal ?? code}); restarting`);
          void this.start();
        });
        return;
      } catch (err) {
        if (attempt % 5 === 1) log(`chaos: ${this.name} did not start (attempt ${attempt}): ${String(err).split('\n')[0]}`);
        await sleep(1_000);
      }
    }
  }

  /** SIGKILL, then a fresh process: whatever the worker held in memory is gone. */
  async killAndRestart(): Promise<void> {
    await this.starting;
    const child = this.child;
    this.child = undefined;
    if (child) await killProcess(child);
    this.kills += 1;
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => {});
    this.child = undefined;
    await Promise.all([...this.alive].map((child) => killProcess(child)));
  }
}
