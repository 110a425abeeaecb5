import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateUp } from '../../db/migrate';

/**
 * A fresh, migrated database on the run's Postgres, so each test file starts from nothing. With `template` (a
 * database already migrated, test/global-setup.ts makes one per run) it is a copy of that template: Postgres copies
 * it in a fraction of the time running every migration again per file takes.
 */
export async function createTestDatabase(serverUrl: string, template?: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  const url = databaseUrlOf(serverUrl, name);
  if (!template) await migrateUp(url);
  return url;
}

/** Migrates a new database for createTestDatabase to copy; nothing may stay connected to it (Postgres refuses to copy then). */
export async function createTemplateDatabase(serverUrl: string): Promise<string> {
  const name = `fc_template_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  await migrateUp(databaseUrlOf(serverUrl, name));
  return name;
}

function databaseUrlOf(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(serverUrl: string, run: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client(serverUrl);
  await admin.connect();
  try {
    await run(admin);
  } finally {
    await admin.end();
  }
}
