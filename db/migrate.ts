import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Applies every pending migration; throws on failure (a half-migrated database must stop the process,
 * not be logged and ignored). The advisory lock makes concurrent starts wait instead of racing.
 */
export async function migrateUp(databaseUrl: string, log: (message: string) => void = () => {}): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    direction: 'up',
    migrationsTable: 'fc_refresh_migrations',
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log,
  });
  return applied.map((migration) => migration.name);
}
