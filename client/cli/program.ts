import { Command, CommanderError } from 'commander';
import { accountsCommand } from './accounts-command';
import { changesCommand } from './changes-command';
import { checkBalanceCommand } from './check-balance-command';
import { consumersCommand } from './consumers-command';
import { EXIT_BAD_INPUT, EXIT_OK } from './exit-codes';
import { migrateCommand } from './migrate-command';
import { pruneCommand } from './prune-command';
import { refreshCommand } from './refresh-command';
import { schedulesCommand } from './schedules-command';
import { setupCommand } from './setup-command';
import { statusCommand } from './status-command';
import { subscriptionCommand } from './subscription-command';
import { verifyOwnershipCommand } from './verify-ownership-command';

// `fc-refresh`: settings come from the environment (TEMPORAL_*, DATABASE_URL), as for the services.
function createProgram(): Command {
  const program = new Command('fc-refresh')
    .description('refresh Stripe Financial Connections data through Temporal')
    .showHelpAfterError()
    .exitOverride()
    .addCommand(refreshCommand())
    .addCommand(statusCommand())
    .addCommand(accountsCommand())
    .addCommand(subscriptionCommand('subscribe'))
    .addCommand(subscriptionCommand('unsubscribe'))
    .addCommand(schedulesCommand())
    .addCommand(checkBalanceCommand())
    .addCommand(verifyOwnershipCommand())
    .addCommand(changesCommand())
    .addCommand(consumersCommand())
    .addCommand(pruneCommand())
    .addCommand(migrateCommand())
    .addCommand(setupCommand());

  // Nested commands (`accounts add`, `schedules apply`) do not inherit these settings from addCommand.
  const withNested = (command: Command): Command[] => [command, ...command.commands.flatMap(withNested)];
  for (const command of withNested(program).slice(1)) command.exitOverride().showHelpAfterError();
  return program;
}

/**
 * Runs one `fc-refresh` command line (the arguments after the program name) and sets process.exitCode. A new
 * program each time: commander keeps parsed options on its commands.
 */
export async function runCli(args: readonly string[]): Promise<void> {
  try {
    await createProgram().parseAsync([...args], { from: 'user' });
  } catch (err) {
    // Commander has already printed the usage problem (or the help); only the exit code is left to decide.
    if (!(err instanceof CommanderError)) throw err;
    const shownOnRequest = err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version';
    process.exitCode = shownOnRequest ? EXIT_OK : EXIT_BAD_INPUT;
  }
}
