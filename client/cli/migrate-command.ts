import { Command } from 'commander';
import { loadConfig } from '../../common/node/config';
import { migrateUp } from '../../db/migrate';
import { DatabaseUnavailableError, EXIT_OK } from './exit-codes';
import { runAction } from './run-action';

// Node's network errors, SQLSTATE class 08 (connection exception) and 57P03 (the server is starting or stopping).
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '57P03']);

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply pending database migrations to DATABASE_URL')
    .action(
      runAction(async () => {
        const config = loadConfig(['database']);
        const applied = await migrateUp(config.DATABASE_URL).catch((err: unknown) => {
          throw isUnreachable(err) ? new DatabaseUnavailableError(err) : err;
        });
        process.stdout.write(applied.length === 0 ? 'database is up to date\n' : applied.map((name) => `applied ${name}\n`).join(''));
        return EXIT_OK;
      }),
    );
}

function isUnreachable(err: unknown): boolean {
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : '';
  return UNREACHABLE_CODES.has(code) || code.startsWith('08');
}
