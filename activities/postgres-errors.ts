import { ApplicationFailure } from '@temporalio/activity';
import pg from 'pg';
import { postgresFailureType } from '../common/failure-types';

/**
 * SQLSTATE classes that say the statement itself is wrong, so running it again fails again: 22 data exception,
 * 23 integrity constraint violation, 42 syntax error or access rule violation. Connection loss, shutdowns and
 * serialization conflicts (08, 57, 40, …) are outages or races and stay retryable.
 */
const DETERMINISTIC_SQLSTATE_CLASSES = new Set(['22', '23', '42']);

/** The one place Postgres errors become Temporal failures: deterministic ones non-retryable, with the SQLSTATE. */
export function toPostgresFailure(err: unknown): unknown {
  if (!(err instanceof pg.DatabaseError) || !err.code || !DETERMINISTIC_SQLSTATE_CLASSES.has(err.code.slice(0, 2))) return err;
  return ApplicationFailure.create({
    type: postgresFailureType(err.code),
    message: `Postgres refused the statement (${err.code}): ${err.message}`,
    nonRetryable: true,
    details: [{ code: err.code, constraint: err.constraint ?? null, table: err.table ?? null }],
  });
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/** Wraps each activity so a deterministic Postgres error ends its retries at once instead of retrying forever. */
export function classifyPostgresErrors<T extends Record<string, AnyActivity>>(activities: T): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (err) {
        throw toPostgresFailure(err);
      }
    };
  }
  return wrapped as T;
}
