import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { installTestRuntimeLogger } from '../../helpers/test-log';
import { inject } from 'vitest';

export interface FixtureWorker {
  taskQueue: string;
  client: Client;
  stop(): Promise<void>;
}

/**
 * A real worker on the run's dev server, running stand-in workflows from `workflowsPath` on a task queue of its
 * own, and a client for the test to start, signal and query them.
 */
export async function startFixtureWorker(workflowsPath: string): Promise<FixtureWorker> {
  installTestRuntimeLogger();
  const address = inject('temporalAddress');
  const taskQueue = `test-${randomBytes(6).toString('hex')}`;
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: workerConnection, taskQueue, workflowsPath });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  return {
    taskQueue,
    client: new Client({ connection }),
    async stop() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
    },
  };
}

/** A unique account id, so workflow ids never collide across tests and files. */
export function uniqueAccountId(label = ''): string {
  return `fca_${label}${randomBytes(6).toString('hex')}`;
}
