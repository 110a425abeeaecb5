import { Command, CommanderError } from 'commander';
import { EXIT_BAD_INPUT, EXIT_OK } from './exit-codes';
import { migrateCommand } from './migrate-command';
import { refreshCommand } from './refresh-command';
import { setupCommand } from './setup-command';
import { statusCommand } from './status-command';

// `fc-refresh`: settings come from the environment (TEMPORAL_*, DATABASE_URL), as for the services.
const program = new Command('fc-refresh')
  .description('refresh Stripe Financial Connections data through Temporal')
  .showHelpAfterError()
  .exitOverride()
  .addCommand(refreshCommand())
  .addCommand(statusCommand())
  .addCommand(migrateCommand())
  .addCommand(setupCommand());

for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync();
} catch (err) {
  // Commander has already printed the usage problem (or the help); only the exit code is left to decide.
  if (!(err instanceof CommanderError)) throw err;
  const shownOnRequest = err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version';
  process.exitCode = shownOnRequest ? EXIT_OK : EXIT_BAD_INPUT;
}
