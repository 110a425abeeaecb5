import { Command } from 'commander';
import { registerAccount } from '../accounts';
import { parseAccountId } from '../validate';
import { describeRegistration } from './account-format';
import { EXIT_OK } from './exit-codes';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

export function accountsAddCommand(): Command {
  return new Command('add')
    .description('register an account: start its workflow, which loads it from Stripe and follows its lifecycle (idempotent)')
    .argument('<account>', 'Financial Connections account id (fca_…)')
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (accountArg: string, flags: { json?: boolean }) => {
        const accountId = parseAccountId(accountArg);
        return withTemporalClient(async (client, config) => {
          const registered = await registerAccount(client, { accountId, taskQueue: config.TEMPORAL_TASK_QUEUE });
          process.stdout.write(`${flags.json ? JSON.stringify(registered) : describeRegistration(registered)}\n`);
          return EXIT_OK;
        });
      }),
    );
}
