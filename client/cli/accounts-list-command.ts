import { Command } from 'commander';
import { listAccounts } from '../accounts';
import { describeAccountListing } from './account-format';
import { EXIT_OK } from './exit-codes';
import { integerIn } from './option-parsers';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

export function accountsListCommand(): Command {
  return new Command('list')
    .description('list the accounts registered on TEMPORAL_TASK_QUEUE (from Temporal visibility, running ones first)')
    .option('--limit <n>', 'at most this many accounts', integerIn(1, 10_000), 100)
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (flags: { limit: number; json?: boolean }) =>
        withTemporalClient(async (client, config) => {
          const listings = await listAccounts(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, limit: flags.limit });
          if (flags.json) process.stdout.write(`${JSON.stringify(listings)}\n`);
          else if (listings.length === 0) process.stdout.write(`no accounts registered on ${config.TEMPORAL_TASK_QUEUE}\n`);
          else process.stdout.write(`${listings.map(describeAccountListing).join('\n')}\n`);
          return EXIT_OK;
        }),
      ),
    );
}
