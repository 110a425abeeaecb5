// Postgres for the chaos run: always its own embedded server (it has to be stopped and started again), on a fixed
// port and a kept data directory, so a restart brings back the same data where clients expect it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalPostgres, type LocalPostgres } from '../db/local-postgres';

export interface RestartablePostgres {
  serverUrl: string;
  stop(): Promise<void>;
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
    async start() {
      running = await startLocalPostgres({ dataDir, port, persistent: true });
    },
    async close() {
      await running?.stop();
      running = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
