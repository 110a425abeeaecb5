import { CommanderError } from 'commander';
import { ConfigError } from '../../common/node/config';
import { InvalidInputError, TemporalUnavailableError } from '../errors';

// The CLI's contract with scripts: 0 ok, 1 the refresh did not succeed, 2 bad input or config, 3 unreachable.
export const EXIT_OK = 0;
export const EXIT_NOT_SUCCEEDED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_UNREACHABLE = 3;

/** Postgres cannot be reached: node network errors and SQLSTATE class 08 / 57P03 ("cannot connect now"). */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`cannot reach Postgres: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** Everything not a usage or reachability problem (RefreshFailedError, RefreshNotFoundError, …) is a failed run. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof InvalidInputError || err instanceof ConfigError || err instanceof CommanderError) return EXIT_BAD_INPUT;
  if (err instanceof TemporalUnavailableError || err instanceof DatabaseUnavailableError) return EXIT_UNREACHABLE;
  return EXIT_NOT_SUCCEEDED;
}
