import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../client/cli/program';

const launcher = fileURLToPath(new URL('../../bin/fc-refresh.mjs', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const userEnv = (env: Record<string, string>): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env });

/** Runs `fc-refresh` as a user would, through the npm bin launcher, with only the given settings. */
export function fcRefresh(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env: userEnv(env), timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** What the command being run in this process writes; other writes (the file's own stack logging) pass through. */
const capture = new AsyncLocalStorage<{ stdout: string; stderr: string }>();
let running = false;

/**
 * The same command run inside this process (client/cli/program.ts's runCli, what the launcher runs): what it writes
 * to stdout and stderr, and the exit code it sets, with only the given settings in the environment. A new process
 * per command (fcRefresh) costs seconds of start-up each; files keep fcRefresh for what only a process shows.
 */
export async function fcRefreshInProcess(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  if (running) throw new Error('fcRefreshInProcess: one command at a time (it swaps process.env and the exit code)');
  running = true;
  const saved = { env: process.env, exitCode: process.exitCode, stdoutTTY: process.stdout.isTTY, stderrTTY: process.stderr.isTTY };
  const output = { stdout: '', stderr: '' };
  const restoreStdout = divert(process.stdout, 'stdout');
  const restoreStderr = divert(process.stderr, 'stderr');
  // This file's own log keeps its path: the stack running in this process writes to it meanwhile.
  process.env = { ...userEnv(env), ...(saved.env.FC_TEST_LOG_FILE ? { FC_TEST_LOG_FILE: saved.env.FC_TEST_LOG_FILE } : {}) };
  process.exitCode = 0;
  // Output to a pipe, as fcRefresh's is (progress is then plain lines), whatever this process's streams are.
  process.stdout.isTTY = false;
  process.stderr.isTTY = false;
  try {
    await capture.run(output, () => runCli(args)).catch((err: unknown) => {
      // Uncaught in a process: Node prints it and exits 1.
      output.stderr += `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`;
      process.exitCode = 1;
    });
    return { code: Number(process.exitCode ?? 0), ...output };
  } finally {
    process.env = saved.env;
    process.exitCode = saved.exitCode;
    process.stdout.isTTY = saved.stdoutTTY;
    process.stderr.isTTY = saved.stderrTTY;
    restoreStdout();
    restoreStderr();
    running = false;
  }
}

function divert(stream: NodeJS.WriteStream, name: 'stdout' | 'stderr'): () => void {
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const output = capture.getStore();
    if (!output) return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    output[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  } as typeof stream.write;
  return () => {
    stream.write = write;
  };
}
