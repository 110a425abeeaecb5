import { Command } from 'commander';
import { listConsumers, registerConsumer, removeConsumer, resetConsumer, type ConsumerReport } from '../consumers';
import { withDatabasePool } from './database-session';
import { EXIT_OK } from './exit-codes';
import { runAction } from './run-action';

export function consumersCommand(): Command {
  return new Command('consumers')
    .description('services reading the change feed: their cursors and notification URLs')
    .addCommand(
      new Command('add')
        .description('register a consumer (idempotent); with --url it gets signed "changes available" POSTs, and its secret is printed once')
        .argument('<name>', 'letters, digits, . _ -')
        .option('--url <url>', 'where to POST notifications (http or https)')
        .option('--from-now', 'start at the head of the feed (after loading the current state from the tables) instead of the oldest kept change')
        .option('--json', 'print JSON instead of text')
        .action(
          runAction(async (name: string, flags: { url?: string; fromNow?: boolean; json?: boolean }) =>
            withDatabasePool(async (pool) => {
              const registration = await registerConsumer(pool, { name, ...(flags.url === undefined ? {} : { url: flags.url }), fromNow: flags.fromNow === true });
              if (flags.json) process.stdout.write(`${JSON.stringify(registration)}\n`);
              else {
                process.stdout.write(`consumer ${name} ${registration.created ? 'created' : 'already registered (unchanged)'} at cursor ${registration.consumer.cursor}\n`);
                if (registration.secret) process.stdout.write(`notification signing secret (shown once): ${registration.secret}\n`);
              }
              return EXIT_OK;
            }),
          ),
        ),
    )
    .addCommand(
      new Command('list')
        .description('registered consumers: cursor, changes behind, notification URL')
        .option('--json', 'print JSON instead of text')
        .action(
          runAction(async (flags: { json?: boolean }) =>
            withDatabasePool(async (pool) => {
              const consumers = await listConsumers(pool);
              process.stdout.write(flags.json ? `${JSON.stringify(consumers)}\n` : consumers.map(describeConsumer).join('') || 'no consumers\n');
              return EXIT_OK;
            }),
          ),
        ),
    )
    .addCommand(
      new Command('remove')
        .description('unregister a consumer: it no longer holds back pruning, and its notifications stop')
        .argument('<name>')
        .action(
          runAction(async (name: string) =>
            withDatabasePool(async (pool) => {
              await removeConsumer(pool, name);
              process.stdout.write(`consumer ${name} removed\n`);
              return EXIT_OK;
            }),
          ),
        ),
    )
    .addCommand(
      new Command('reset')
        .description("move a consumer to the head of the feed, after it reloaded the current state from the tables (resync)")
        .argument('<name>')
        .action(
          runAction(async (name: string) =>
            withDatabasePool(async (pool) => {
              process.stdout.write(`consumer ${name} now at cursor ${await resetConsumer(pool, name)}\n`);
              return EXIT_OK;
            }),
          ),
        ),
    );
}

function describeConsumer(consumer: ConsumerReport): string {
  const state = consumer.expired ? 'EXPIRED (must resync)' : `${consumer.behind} behind`;
  return `${consumer.name.padEnd(24)} ${state.padEnd(22)} ${consumer.url ?? '(no URL)'} synced ${consumer.syncedAt?.toISOString() ?? 'never'}\n`;
}
