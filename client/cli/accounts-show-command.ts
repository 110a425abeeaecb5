import { Command } from 'commander';
import { getAccountState } from '../accounts';
import { parseAccountId } from '../validate';
import { describeAccountReport } from './account-format';
import { EXIT_NOT_SUCCEEDED, EXIT_OK } from './exit-codes';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

export function accountsShowCommand(): Command {
  return new Command('show')
    .description("show an account's lifecycle and subscriptions as its workflow knows them; exit 1 if its workflow failed")
    .argument('<account>', 'Financial Connections account id (fca_…)')
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (accountArg: string, flags: { json?: boolean }) => {
        const accountId = parseAccountId(accountArg);
        return withTemporalClient(async (client) => {
          const report = await getAccountState(client, accountId);
          process.stdout.write(`${flags.json ? JSON.stringify(report) : describeAccountReport(report)}\n`);
          return report.failure === null ? EXIT_OK : EXIT_NOT_SUCCEEDED;
        });
      }),
    );
}
