import { Command } from 'commander';
import { subscribeTransactions, unsubscribeTransactions } from '../accounts';
import { parseAccountId } from '../validate';
import { describeAccountState } from './account-format';
import { EXIT_OK } from './exit-codes';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

const ACTIONS = {
  subscribe: {
    run: subscribeTransactions,
    description: "subscribe an account to Stripe's daily transaction refreshes (starts and syncs a first refresh); exit 2 if the account is inactive",
    done: 'subscribed',
  },
  unsubscribe: {
    run: unsubscribeTransactions,
    description: "end an account's daily transaction refreshes (the daily scheduled sync refreshes it instead); exit 2 if the account is inactive",
    done: 'unsubscribed',
  },
} as const;

/** `subscribe` and `unsubscribe`: the same update-and-report, only the update differs. */
export function subscriptionCommand(name: keyof typeof ACTIONS): Command {
  const action = ACTIONS[name];
  return new Command(name)
    .description(action.description)
    .argument('<account>', 'Financial Connections account id (fca_…), registered with `accounts add`')
    .option('--json', "print the account's state as JSON")
    .action(
      runAction(async (accountArg: string, flags: { json?: boolean }) => {
        const accountId = parseAccountId(accountArg);
        return withTemporalClient(async (client) => {
          const state = await action.run(client, accountId);
          process.stdout.write(`${flags.json ? JSON.stringify(state) : `${accountId} ${action.done}; ${describeAccountState(state)}`}\n`);
          return EXIT_OK;
        });
      }),
    );
}
