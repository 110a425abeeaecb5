import { Command } from 'commander';
import { checkBalance, type BalanceCheckSubject } from '../check-balance';
import { DEFAULT_CHECK_DEADLINE_SECONDS, MAX_DEADLINE_SECONDS } from '../check-timing';
import { InvalidInputError } from '../errors';
import { integerIn } from './option-parsers';
import { EXIT_NOT_SUCCEEDED, EXIT_OK } from './exit-codes';
import { describeBalanceCheck } from './format-checks';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

interface CheckBalanceFlags {
  account?: string;
  paymentIntent?: string;
  paymentMethod?: string;
  amount: number;
  currency: string;
  maxAge: number;
  deadline: number;
  json?: boolean;
}

export function checkBalanceCommand(): Command {
  return new Command('check-balance')
    .description(
      'decide whether an account has the funds for an ACH debit (sufficient | insufficient | unknown), refreshing its ' +
        'balance first when the stored one is older than --max-age; exits 0 only when sufficient',
    )
    .option('--account <fca>', 'Financial Connections account id (fca_…)')
    .option('--payment-intent <pi>', 'the ACH PaymentIntent whose bank account will be debited (pi_…)')
    .option('--payment-method <pm>', 'the us_bank_account PaymentMethod that will be debited (pm_…)')
    .requiredOption('--amount <minor-units>', 'debit amount in minor units (1000 = 10.00)', integerIn(1, Number.MAX_SAFE_INTEGER))
    .requiredOption('--currency <code>', 'ISO currency code, e.g. usd')
    .option('--max-age <seconds>', 'use the stored balance when it is at most this old', integerIn(0, Number.MAX_SAFE_INTEGER), 3600)
    .option('--deadline <seconds>', 'longest wait for a refresh before deciding on the stored balance (flagged stale)', integerIn(1, MAX_DEADLINE_SECONDS), DEFAULT_CHECK_DEADLINE_SECONDS)
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (flags: CheckBalanceFlags) => {
        const subject = subjectOf(flags);
        return withTemporalClient(async (client, config) => {
          const result = await checkBalance(client, {
            ...subject,
            amount: flags.amount,
            currency: flags.currency,
            maxAgeSeconds: flags.maxAge,
            deadlineSeconds: flags.deadline,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
          });
          process.stdout.write(`${flags.json ? JSON.stringify(result) : describeBalanceCheck(result)}\n`);
          return result.decision === 'sufficient' ? EXIT_OK : EXIT_NOT_SUCCEEDED;
        });
      }),
    );
}

function subjectOf(flags: CheckBalanceFlags): BalanceCheckSubject {
  const named = [flags.account, flags.paymentIntent, flags.paymentMethod].filter((value) => value !== undefined);
  if (named.length !== 1) throw new InvalidInputError('account', 'give exactly one of --account, --payment-intent or --payment-method');
  if (flags.account !== undefined) return { account: flags.account };
  if (flags.paymentIntent !== undefined) return { paymentIntent: flags.paymentIntent };
  return { paymentMethod: flags.paymentMethod ?? '' };
}
