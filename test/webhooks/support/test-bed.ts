import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPool } from '../../../db/pool';
import { createTestDatabase } from '../../helpers/database';
import { startFixtureWorker, type FixtureWorker } from './fixture-worker';
import { startReceiver, type Receiver } from './receiver';

export interface WebhookTestBed {
  pool: pg.Pool;
  /** A client of the run's dev server, to inspect what the receiver started or signalled. */
  client: Client;
  taskQueue: string;
  /** The real receiver's base URL. */
  baseUrl: string;
}

/**
 * For a test file: its own database, the real receiver, and a worker running the stand-in workflows of
 * fixtures/workflows.ts. Set up before the file's tests and torn down after them; the fields are filled in by then.
 */
export function useWebhookTestBed(): WebhookTestBed {
  const bed = {} as WebhookTestBed;
  let worker: FixtureWorker | undefined;
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    bed.pool = createPool(await createTestDatabase(inject('databaseUrl'), inject('templateDatabase')));
    worker = await startFixtureWorker(fileURLToPath(new URL('../fixtures/workflows.ts', import.meta.url)));
    bed.client = worker.client;
    bed.taskQueue = worker.taskQueue;
    receiver = await startReceiver({ pool: bed.pool, temporal: worker.client, taskQueue: worker.taskQueue });
    bed.baseUrl = receiver.baseUrl;
  });
  afterAll(async () => {
    await receiver?.close();
    await worker?.stop();
    await bed.pool?.end();
  });
  return bed;
}
