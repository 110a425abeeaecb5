import { Command } from 'commander';
import { OWNERSHIP_MATCH_THRESHOLD, OWNERSHIP_REVIEW_THRESHOLD } from '../../domain/ownership-match';
import { DEFAULT_CHECK_DEADLINE_SECONDS, MAX_DEADLINE_SECONDS } from '../check-timing';
import { parseAccountId } from '../validate';
import { verifyOwnership } from '../verify-ownership';
import { integerIn } from './option-parsers';
import { withDatabasePool } from './database-session';
import { EXIT_NOT_SUCCEEDED, EXIT_OK } from './exit-codes';
import { describeOwnershipCheck } from './format-checks';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

interface VerifyOwnershipFlags {
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
  maxAge: number;
  deadline: number;
  json?: boolean;
}

/** Ownership changes rarely and its refreshes are slow: a week-old snapshot is recent enough by default. */
const DEFAULT_OWNERSHIP_MAX_AGE_SECONDS = 7 * 86_400;

export function verifyOwnershipCommand(): Command {
  return new Command('verify-ownership')
    .description(
      `compare what you know about the account holder with the owners the bank reports, refreshing them when stale: ` +
        `match (score ≥ ${OWNERSHIP_MATCH_THRESHOLD} with the name compared), review (≥ ${OWNERSHIP_REVIEW_THRESHOLD}, or nothing ` +
        `comparable) or no_match; exits 0 only on match. Needs DATABASE_URL: the values you give are stored there, never in Temporal`,
    )
    .argument('<account>', 'Financial Connections account id (fca_…)')
    .option('--name <name>', "the account holder's name")
    .option('--email <email>', "the account holder's email")
    .option('--phone <phone>', "the account holder's phone number")
    .option('--address <address>', "the account holder's address, one line")
    .option('--max-age <seconds>', 'refresh the ownership when it was stored longer ago than this', integerIn(0, Number.MAX_SAFE_INTEGER), DEFAULT_OWNERSHIP_MAX_AGE_SECONDS)
    .option('--deadline <seconds>', 'longest wait for a refresh before comparing with the stored ownership (flagged stale)', integerIn(1, MAX_DEADLINE_SECONDS), DEFAULT_CHECK_DEADLINE_SECONDS)
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (accountArg: string, flags: VerifyOwnershipFlags) => {
        const account = parseAccountId(accountArg);
        return withDatabasePool((pool) =>
          withTemporalClient(async (client, config) => {
            const result = await verifyOwnership(client, pool, {
              account,
              name: flags.name,
              email: flags.email,
              phone: flags.phone,
              address: flags.address,
              maxAgeSeconds: flags.maxAge,
              deadlineSeconds: flags.deadline,
              taskQueue: config.TEMPORAL_TASK_QUEUE,
            });
            process.stdout.write(`${flags.json ? JSON.stringify(result) : describeOwnershipCheck(result)}\n`);
            return result.overall === 'match' ? EXIT_OK : EXIT_NOT_SUCCEEDED;
          }),
        );
      }),
    );
}
