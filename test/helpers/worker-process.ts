import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run worker` as a real separate process, so a test can SIGKILL it mid-flight. */
export interface WorkerProcessEnv {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_TASK_QUEUE: string;
  DATABASE_URL: string;
  STRIPE_API_BASE: string;
  STRIPE_MAX_REQUESTS_PER_SECOND?: string;
}

export async function startWorkerProcess(env: WorkerProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env, STRIPE_SECRET_KEY: 'sk_test_simulator', LOG_LEVEL: 'info', WORKER_METRICS_ADDRESS: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('worker started')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited ${code} before starting:\n${output}`)));
  });
  return child;
}

export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
