import { Command, InvalidArgumentError } from 'commander';
import { ChangeFeed } from '../change-feed';
import { CHANGE_GROUPS, type Change, type ChangeGroup } from '../change-types';
import { withDatabasePool } from './database-session';
import { EXIT_OK } from './exit-codes';
import { integerIn } from './option-parsers';
import { runAction } from './run-action';

interface ChangesFlags {
  consumer: string;
  cursor?: string;
  account?: string;
  kinds?: ChangeGroup[];
  limit: number;
  follow?: boolean;
  json?: boolean;
}

/** Without a NOTIFY (another database user's commit is always announced; this is a safety net), look again after this. */
const FOLLOW_POLL_MS = 5_000;

function kindList(value: string): ChangeGroup[] {
  const groups = value.split(',').map((group) => group.trim());
  const unknown = groups.filter((group) => !(group in CHANGE_GROUPS));
  if (unknown.length > 0) throw new InvalidArgumentError(`must be a comma-separated list of ${Object.keys(CHANGE_GROUPS).join(', ')}`);
  return groups as ChangeGroup[];
}

export function changesCommand(): Command {
  return new Command('changes')
    .description("print the change feed for a consumer, from its last acknowledged cursor (or --cursor), and acknowledge what was printed")
    .requiredOption('--consumer <name>', 'registered consumer (fc-refresh consumers add)')
    .option('--cursor <cursor>', 'continue from this cursor instead of the consumer\'s last acknowledged one')
    .option('--account <fca_id>', 'only this account\'s changes')
    .option('--kinds <list>', `only these kinds: ${Object.keys(CHANGE_GROUPS).join(',')}`, kindList)
    .option('--limit <n>', 'changes per page', integerIn(1, 1_000), 100)
    .option('--follow', 'keep printing changes as they commit (Postgres LISTEN) until interrupted')
    .option('--json', 'one JSON object per change (with the cursor just after it), and {"cursor"} when caught up')
    .action(
      runAction(async (flags: ChangesFlags) =>
        withDatabasePool(async (pool, { sessionUrl }) => {
          const feed = new ChangeFeed(pool);
          let wake: (() => void) | undefined;
          const listening = flags.follow ? await feed.listen(() => wake?.(), sessionUrl === undefined ? {} : { connectionString: sessionUrl }) : null;
          try {
            let cursor = flags.cursor;
            for (;;) {
              const page = await feed.sync({
                consumer: flags.consumer,
                limit: flags.limit,
                ...(cursor === undefined ? {} : { cursor }),
                ...(flags.account === undefined ? {} : { accountId: flags.account }),
                ...(flags.kinds === undefined ? {} : { kinds: flags.kinds }),
              });
              if (page.changes.length > 0) process.stdout.write(page.changes.map((change) => `${flags.json ? JSON.stringify(change) : describeChange(change)}\n`).join(''));
              cursor = page.nextCursor;
              if (page.hasMore) continue;
              await feed.acknowledge(flags.consumer, cursor);
              process.stdout.write(flags.json ? `${JSON.stringify({ cursor })}\n` : `caught up at cursor ${cursor}\n`);
              if (!flags.follow) return EXIT_OK;
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, FOLLOW_POLL_MS);
                wake = () => {
                  clearTimeout(timer);
                  resolve();
                };
              });
            }
          } finally {
            await listening?.close();
          }
        }),
      ),
    );
}

/** One line per change: position, kind, account and what changed (ids, amounts, statuses; no owner details). */
export function describeChange(change: Change): string {
  const head = `#${change.seq} ${change.kind} ${change.accountId}`;
  switch (change.kind) {
    case 'transaction.added':
      return `${head} ${change.transactionId} ${change.transaction.amount} ${change.transaction.currency} ${change.transaction.status}`;
    case 'transaction.modified':
    case 'transaction.removed':
      return `${head} ${change.transactionId} ${change.changed.map((field) => `${field} ${String(change.previous[field])} -> ${String(change.transaction[field])}`).join(', ')}`;
    case 'balance.changed':
      return `${head} as_of ${String(change.previousAsOf)} -> ${String(change.asOf)}${change.changed.length > 0 ? ` (${change.changed.join(', ')})` : ''}`;
    case 'ownership.changed':
      return `${head} ${String(change.previousOwnershipId)} -> ${String(change.ownershipId)} (${change.owners} owners, +${change.ownersAdded.length} -${change.ownersRemoved.length})`;
    case 'account.status_changed':
      return `${head} ${change.previousStatus ?? '(new)'} -> ${change.status}`;
  }
}
