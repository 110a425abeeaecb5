// The Temporal dev server as a child process of the chaos run, on a fixed port with a database file, so it can be
// killed and started again where it was: workflows, timers and task queues survive in the file.
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from '../common/search-attributes';
import { freePort } from '../db/local-postgres';
import { sleep } from './measure';

const CLI_TYPE: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export interface TemporalProcess {
  address: string;
  /** SIGKILL: nothing is flushed or handed over, as in a crash. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTemporalProcess(cli: string, dbFile: string): Promise<TemporalProcess> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const args = [
      'server', 'start-dev',
      '--db-filename', dbFile,
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--headless',
      '--log-level', 'error',
      ...ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE[key.type]}`]),
    ];
    const started = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child = started;
    await waitUntilServing(address, started, () => stderr);
  };

  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return { address, kill, start, stop: kill };
}

async function waitUntilServing(address: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal server exited ${child.exitCode}: ${stderr()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`temporal server not serving on ${address} after 60 s: ${String(err)}\n${stderr()}`);
      await sleep(250);
    }
  }
}

/** One fault on the Temporal side, at `seconds` into the run. */
export interface TemporalFault {
  seconds: number;
  run(): Promise<void>;
}

/** The Temporal server a chaos run uses, the faults planned for it, and what the report says of them. */
export interface TemporalUnderChaos {
  address: string;
  /** For the run's log: what serves. */
  description: string;
  faults: TemporalFault[];
  report(): Record<string, unknown>;
  stop(): Promise<void>;
}

/** The dev server, SIGKILLed at `restartAt` and started again `downSeconds` later on the same file. */
export async function devServerUnderChaos(cli: string, dbFile: string, plan: { restartAt: number; downSeconds: number }, log: (message: string) => void): Promise<TemporalUnderChaos> {
  const temporal = await startTemporalProcess(cli, dbFile);
  let restarts = 0;
  return {
    address: temporal.address,
    description: `Temporal dev server ${temporal.address}`,
    faults: [
      {
        seconds: plan.restartAt,
        run: async () => {
          log('chaos: SIGKILL Temporal server');
          await temporal.kill();
          await sleep(plan.downSeconds * 1000);
          await temporal.start();
          restarts += 1;
          log('chaos: Temporal server back');
        },
      },
    ],
    report: () => ({ temporalRestarts: restarts }),
    stop: () => temporal.stop(),
  };
}
