import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';

const projectRoot = fileURLToPath(new URL('../', import.meta.url));
/** The one server config for every deployment (docker-compose.yml mounts the same folder). */
export const serverConfigDir = 'deploy/temporal/config';
export const serverConfigEnv = 'cluster';
export const dynamicConfigPath = join(projectRoot, 'deploy/temporal/dynamicconfig/development.yaml');

export interface ServerProcess {
  /** e.g. history-2 */
  name: string;
  service: TemporalService;
  grpcPort: number;
  metricsPort: number;
  logFile: string;
  child: ChildProcess;
  /** Resolves when the process has exited, for whatever reason. */
  exited: Promise<void>;
}

export interface ServerProcessSpec {
  name: string;
  service: TemporalService;
  grpcPort: number;
  membershipPort: number;
  metricsPort: number;
  /** The config template's variables shared by every process of the cluster (database, frontend address, …). */
  clusterEnv: Record<string, string>;
  serverBinary: string;
  logDir: string;
}

/** One Temporal service as its own OS process, rendering deploy/temporal/config/cluster.yaml with its own ports. */
export async function startServerProcess(spec: ServerProcessSpec): Promise<ServerProcess> {
  const prefix = spec.service.toUpperCase();
  const logFile = join(spec.logDir, `${spec.name}.log`);
  // Appended: a process started again after a kill keeps the log of its previous life above its own.
  const log = openSync(logFile, 'a');
  const child = spawn(
    spec.serverBinary,
    ['-r', projectRoot, '-c', serverConfigDir, '-e', serverConfigEnv, '--allow-no-auth', 'start', '--service', spec.service],
    {
      cwd: projectRoot,
      // Only the template's variables: the parent's own (LOG_LEVEL, …) must not leak into the server config.
      env: {
        PATH: process.env.PATH ?? '',
        ...spec.clusterEnv,
        [`${prefix}_GRPC_PORT`]: String(spec.grpcPort),
        [`${prefix}_MEMBERSHIP_PORT`]: String(spec.membershipPort),
        PROMETHEUS_ENDPOINT: `127.0.0.1:${spec.metricsPort}`,
      },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const process_: ServerProcess = { name: spec.name, service: spec.service, grpcPort: spec.grpcPort, metricsPort: spec.metricsPort, logFile, child, exited };
  try {
    // The worker service serves no gRPC, only the membership protocol.
    await waitForPort(process_, spec.service === 'worker' ? spec.membershipPort : spec.grpcPort, 90_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return process_;
}

/** SIGKILL, as a crash: nothing is flushed, the membership ring learns of it only when the peers stop hearing it. */
export async function killServerProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
}

/** Stops a process: SIGTERM lets it leave the membership ring cleanly; SIGKILL after `graceMs`. */
export async function stopServerProcess(server: ServerProcess, graceMs = 15_000): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  await server.exited;
  clearTimeout(timer);
}

async function waitForPort(server: ServerProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`temporal ${server.name} exited (${server.child.exitCode ?? server.child.signalCode}) before listening:\n${tail(server.logFile)}`);
    }
    if (await accepts(port)) return;
    await sleep(250);
  }
  throw new Error(`temporal ${server.name} did not listen on ${port} within ${timeoutMs / 1000} s:\n${tail(server.logFile)}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
}
