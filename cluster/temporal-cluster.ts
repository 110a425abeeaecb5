import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeClusterPort } from './ports';
import { ensureTemporalClusterTools } from '../scripts/ensure-tools.mjs';
import { prepareNamespace } from './namespace';
import type { PostgresEndpoint } from './postgres-endpoint';
import { dynamicConfigPath, killServerProcess, startServerProcess, stopServerProcess, type ServerProcess, type ServerProcessSpec, type TemporalService } from './server-process';
import { setUpTemporalSchema } from './temporal-schema';

export interface TemporalClusterOptions {
  postgres: PostgresEndpoint;
  /** Temporal's two databases on that server; default temporal and temporal_visibility. */
  databases?: { persistence: string; visibility: string };
  /** The frontend's gRPC port; a free one when absent. */
  frontendPort?: number;
  /** History processes; shards move between them when one stops. Default 2. */
  historyNodes?: number;
  /** Fixed when the databases are first set up. Default 8. */
  historyShards?: number;
  namespace?: string;
  /** Where each process writes its log (`<name>.log`); a temporary folder when absent. */
  logDir?: string;
  log?: (message: string) => void;
}

export interface TemporalCluster {
  /** The frontend, host:port: what TEMPORAL_ADDRESS names. */
  address: string;
  namespace: string;
  logDir: string;
  /** frontend, history-1 … history-N, matching, worker: each its own OS process (the running ones). */
  processes: ServerProcess[];
  /**
   * Stops one process by name (`history-1`, `matching`, `frontend`, …): `kill` is SIGKILL, a crash; `term` is
   * SIGTERM, a clean stop that leaves the membership ring. Resolves once it has exited.
   */
  stopProcess(name: string, how: 'kill' | 'term'): Promise<void>;
  /** Starts a stopped process again, on its own ports (clients and peers find it where it was). */
  startProcess(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Temporal server as a production-shaped cluster on Postgres: schemas set up with Temporal's SQL tool, then
 * frontend, N history, matching and worker services as separate processes that find each other through the
 * cluster_membership table, then the namespace with fc-refresh's search attributes.
 */
export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalCluster> {
  const log = options.log ?? (() => {});
  const tools = await ensureTemporalClusterTools({ log });
  const databases = options.databases ?? { persistence: 'temporal', visibility: 'temporal_visibility' };
  const namespace = options.namespace ?? 'default';
  const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'fc-refresh-cluster-')));
  await mkdir(logDir, { recursive: true });

  log(`[cluster] setting up ${databases.persistence} and ${databases.visibility} with temporal-sql-tool`);
  await setUpTemporalSchema(tools, options.postgres, databases);

  const frontendPort = options.frontendPort ?? (await freeClusterPort());
  const clusterEnv = {
    LOG_LEVEL: 'warn',
    NUM_HISTORY_SHARDS: String(options.historyShards ?? 8),
    POSTGRES_SEEDS: options.postgres.host,
    DB_PORT: String(options.postgres.port),
    POSTGRES_USER: options.postgres.user,
    POSTGRES_PWD: options.postgres.password,
    DBNAME: databases.persistence,
    VISIBILITY_DBNAME: databases.visibility,
    BIND_ON_IP: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(frontendPort),
    FRONTEND_HTTP_PORT: String(await freeClusterPort()),
    FRONTEND_ADDRESS: `127.0.0.1:${frontendPort}`,
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigPath,
  };
  const layout: Array<{ name: string; service: TemporalService }> = [
    { name: 'frontend', service: 'frontend' },
    ...Array.from({ length: options.historyNodes ?? 2 }, (_, i) => ({ name: `history-${i + 1}`, service: 'history' as const })),
    { name: 'matching', service: 'matching' },
    { name: 'worker', service: 'worker' },
  ];

  const specs = new Map<string, ServerProcessSpec>();
  for (const entry of layout) {
    specs.set(entry.name, {
      ...entry,
      grpcPort: entry.service === 'frontend' ? frontendPort : await freeClusterPort(),
      membershipPort: await freeClusterPort(),
      metricsPort: await freeClusterPort(),
      clusterEnv,
      serverBinary: tools.server,
      logDir,
    });
  }
  const running = new Map<string, ServerProcess>();
  const specOf = (name: string): ServerProcessSpec => {
    const spec = specs.get(name);
    if (!spec) throw new Error(`no process ${name} in this cluster (${[...specs.keys()].join(', ')})`);
    return spec;
  };
  const startProcess = async (name: string): Promise<void> => {
    const spec = specOf(name);
    const current = running.get(name);
    if (current && current.child.exitCode === null && current.child.signalCode === null) return;
    running.set(name, await startServerProcess(spec));
  };
  const stopProcess = async (name: string, how: 'kill' | 'term'): Promise<void> => {
    specOf(name);
    const server = running.get(name);
    if (!server) return;
    await (how === 'kill' ? killServerProcess(server) : stopServerProcess(server));
  };
  const stop = async (): Promise<void> => {
    await Promise.all([...running.values()].map((server) => stopServerProcess(server)));
  };
  try {
    log(`[cluster] starting ${layout.map((entry) => entry.name).join(', ')} (logs in ${logDir})`);
    // One process first: each service writes the cluster's metadata row at start when the database is new, and
    // two writing it at once make one exit ("SaveClusterMetadata encountered version mismatch"). Then the rest.
    const [first, ...rest] = layout;
    if (first) await startProcess(first.name);
    const started = await Promise.allSettled(rest.map((entry) => startProcess(entry.name)));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const address = `127.0.0.1:${frontendPort}`;
    log(`[cluster] registering namespace ${namespace} and fc-refresh's search attributes`);
    await prepareNamespace(address, namespace);
    return {
      address,
      namespace,
      logDir,
      get processes() {
        return [...running.values()];
      },
      stopProcess,
      startProcess,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
