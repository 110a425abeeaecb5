import { Command } from 'commander';
import { FEATURES } from '../../common/features';
import { getRefreshStatus, type RefreshStatusReport } from '../refresh-status';
import { parseAccountId, parseFeature } from '../validate';
import { EXIT_NOT_SUCCEEDED, EXIT_OK } from './exit-codes';
import { describeReport } from './format';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

interface StatusFlags {
  json?: boolean;
  feature?: string;
}

export function statusCommand(): Command {
  return new Command('status')
    .description("show the latest refresh of each feature of an account: live progress while running, else its result")
    .argument('<account>', 'Financial Connections account id (fca_…)')
    .option('--feature <feature>', `only this feature (${FEATURES.join(', ')})`)
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (accountArg: string, flags: StatusFlags) => {
        const accountId = parseAccountId(accountArg);
        const feature = flags.feature === undefined ? undefined : parseFeature(flags.feature);
        return withTemporalClient(async (client) => {
          const reports: RefreshStatusReport[] = feature
            ? [await getRefreshStatus(client, accountId, feature)]
            : await getRefreshStatus(client, accountId);
          if (flags.json) process.stdout.write(`${JSON.stringify(reports)}\n`);
          else if (reports.length === 0) process.stdout.write(`no refreshes found for ${accountId}\n`);
          else process.stdout.write(`${reports.map(describeReport).join('\n')}\n`);
          return reports.length === 0 ? EXIT_NOT_SUCCEEDED : EXIT_OK;
        });
      }),
    );
}
