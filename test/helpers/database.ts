import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateUp } from '../../db/migrate';

/** A fresh, migrated database on the run's Postgres, so each test file starts from nothing. */
export async function createTestDatabase(serverUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(serverUrl);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateUp(url.toString());
  return url.toString();
}
