import { ConfigError } from '../../common/node/config';
import { exitCodeFor } from './exit-codes';

/**
 * Wraps a subcommand: its resolved number becomes the exit code; a thrown error is printed as one line
 * (no stack trace for the errors users cause) and mapped to its exit code.
 */
export function runAction<Args extends unknown[]>(run: (...args: Args) => Promise<number>): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      process.exitCode = await run(...args);
    } catch (err) {
      const problems = err instanceof ConfigError ? err.problems.map((problem) => `configuration error: ${problem}`) : [errorMessage(err)];
      for (const problem of problems) process.stderr.write(`fc-refresh: ${problem}\n`);
      process.exitCode = exitCodeFor(err);
    }
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
