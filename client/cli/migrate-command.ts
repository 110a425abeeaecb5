import { Command } from 'commander';
import { loadConfig } from '../../common/node/config';
import { migrateUp } from '../../db/migrate';
import { isUnreachable } from './database-session';
import { DatabaseUnavailableError, EXIT_OK } from './exit-codes';
import { runAction } from './run-action';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply pending database migrations to DATABASE_SESSION_URL, else DATABASE_URL')
    .action(
      runAction(async () => {
        const config = loadConfig(['database']);
        // The migrations' advisory lock is a session's: behind a transaction-mode pooler it needs the session URL.
        const applied = await migrateUp(config.DATABASE_SESSION_URL ?? config.DATABASE_URL).catch((err: unknown) => {
          throw isUnreachable(err) ? new DatabaseUnavailableError(err) : err;
        });
        process.stdout.write(applied.length === 0 ? 'database is up to date\n' : applied.map((name) => `applied ${name}\n`).join(''));
        return EXIT_OK;
      }),
    );
}
