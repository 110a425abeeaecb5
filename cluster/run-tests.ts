// `npm run cluster:test -- <test files>`: the test files against a Temporal cluster (cluster/temporal-cluster.ts)
// instead of the dev server, on a throwaway embedded Postgres (or DATABASE_URL's server), then everything stops.
// Exits with vitest's code. CI runs one representative end-to-end file this way (.ci/run).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hydratePostgresBinaries } from '../scripts/ensure-tools.mjs';
import { openClusterPostgres, type ClusterPostgres } from './postgres-endpoint';
import { startTemporalCluster, type TemporalCluster } from './temporal-cluster';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: npm run cluster:test -- <test file>...\n');
  process.exit(2);
}
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

let postgres: ClusterPostgres | undefined;
let cluster: TemporalCluster | undefined;
let vitest: ChildProcess | undefined;
const dataDir = await mkdtemp(join(tmpdir(), 'fc-refresh-cluster-'));
// mkdtemp makes it private to this user; Postgres, which runs as its own user when this one is root, must enter it.
await chmod(dataDir, 0o755);

async function shutdown(exitCode: number): Promise<never> {
  await cluster?.stop();
  await postgres?.stop();
  // The logs go with the data unless the run failed: then they are what explains it.
  if (exitCode === 0) await rm(dataDir, { recursive: true, force: true });
  else log(`[cluster] logs kept in ${join(dataDir, 'logs')}`);
  process.exit(exitCode);
}

// A CI timeout's SIGTERM may reach this process only: vitest gets it too and its exit ends the run below;
// before vitest runs, the servers started so far are stopped here.
const onSignal = (signal: NodeJS.Signals): void => {
  if (vitest) vitest.kill(signal);
  else void shutdown(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  hydratePostgresBinaries();
  const startedAt = Date.now();
  postgres = await openClusterPostgres({ databaseUrl: process.env.DATABASE_URL, dataDir, persistent: false });
  cluster = await startTemporalCluster({ postgres: postgres.endpoint, logDir: join(dataDir, 'logs'), log });
  log(`[cluster] ready at ${cluster.address} in ${Math.round((Date.now() - startedAt) / 1000)} s; running ${files.join(' ')}`);
  vitest = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files], {
    env: { ...process.env, TEMPORAL_ADDRESS: cluster.address, DATABASE_URL: postgres.url },
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) => vitest?.on('exit', (exit) => resolve(exit ?? 1)));
  for (const server of cluster.processes) {
    if (server.child.exitCode !== null) log(`[cluster] ${server.name} exited (${server.child.exitCode}) during the run: ${server.logFile}`);
  }
  await shutdown(code);
} catch (err) {
  log(`[cluster] ${(err as Error).stack ?? String(err)}`);
  await shutdown(1);
}
