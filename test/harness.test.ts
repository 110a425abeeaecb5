import { inject, test, expect } from 'vitest';
import pg from 'pg';
import { Connection } from '@temporalio/client';

test('the run has a real Temporal dev server and Postgres', async () => {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const info = await connection.workflowService.getSystemInfo({});
  expect(info.serverVersion).toBeTruthy();
  await connection.close();
  const client = new pg.Client(inject('databaseUrl'));
  await client.connect();
  const { rows } = await client.query('select version()');
  expect(rows[0].version).toMatch(/PostgreSQL/);
  await client.end();
});
