import { appendFileSync, mkdirSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run worker` as a real separate process, so a test can SIGKILL it mid-flight. */
export interface WorkerProcessEnv {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_TASK_QUEUE: string;
  DATABASE_URL: string;
  STRIPE_API_BASE: string;
  STRIPE_MAX_REQUESTS_PER_SECOND?: string;
  /** A prebuilt workflow bundle (tests: the run's, test/global-setup.ts); without it the worker bundles at start. */
  WORKFLOW_BUNDLE_PATH?: string;
}

/**
 * Starts the worker and resolves once it logs "worker started". Its log lines go to `logFile`, by default the
 * running test file's log (test/helpers/test-log.ts), else nowhere: they never reach the console.
 */
const STARTUP_TIMEOUT_MS = 90_000;

export async function startWorkerProcess(env: WorkerProcessEnv, options: { logFile?: string } = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: projectRoot,
    // info: "worker started" is how this helper knows the worker is up.
    env: { ...process.env, ...env, STRIPE_SECRET_KEY: 'sk_test_simulator', LOG_LEVEL: 'info', WORKER_METRICS_ADDRESS: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logFile = options.logFile ?? process.env.FC_TEST_LOG_FILE;
  if (logFile) mkdirSync(dirname(logFile), { recursive: true });
  let startup = '';
  let started = false;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      if (logFile) appendFileSync(logFile, chunk);
      if (started) return;
      startup += chunk.toString();
      if (startup.includes('worker started')) {
        started = true;
        startup = '';
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited ${code} before starting:\n${startup}`)));
    // A worker wedged while starting (e.g. Postgres or Temporal killed under it) is killed, so the caller starts another.
    setTimeout(() => {
      if (started) return;
      child.kill('SIGKILL');
      reject(new Error(`worker did not start within ${STARTUP_TIMEOUT_MS / 1000} s:\n${startup}`));
    }, STARTUP_TIMEOUT_MS).unref();
  });
  return child;
}

export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
