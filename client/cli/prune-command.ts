import { Command } from 'commander';
import { loadConfig } from '../../common/node/config';
import { pruneRetainedData, retentionAgesOf } from '../../db/queries/retention';
import { withDatabasePool } from './database-session';
import { EXIT_OK } from './exit-codes';
import { runAction } from './run-action';

export function pruneCommand(): Command {
  return new Command('prune')
    .description('prune now what the daily retention job prunes: read change rows, superseded owners, old event payloads, old expected owner values (FC_*_RETENTION_DAYS)')
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (flags: { json?: boolean }) => {
        const ages = retentionAgesOf(loadConfig(['retention']));
        return withDatabasePool(async (pool) => {
          const counts = await pruneRetainedData(pool, ages);
          process.stdout.write(
            flags.json
              ? `${JSON.stringify(counts)}\n`
              : `pruned ${counts.changes} changes (feed now starts after seq ${counts.changesPrunedThrough}), ${counts.owners} superseded owners, ` +
                  `${counts.eventPayloads} event payloads, expected values of ${counts.ownershipChecks} ownership checks\n`,
          );
          return EXIT_OK;
        });
      }),
    );
}
