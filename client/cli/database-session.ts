import type pg from 'pg';
import { loadConfig } from '../../common/node/config';
import { createPool } from '../../db/pool';
import { DatabaseUnavailableError } from './exit-codes';

// Node's network errors, SQLSTATE class 08 (connection exception) and 57P03 (the server is starting or stopping).
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '57P03']);

/**
 * Opens a pool on DATABASE_URL for one command, maps "cannot connect" to DatabaseUnavailableError, always closes.
 * `sessionUrl` is DATABASE_SESSION_URL, when set: where LISTEN must go behind a transaction-mode pooler.
 */
export async function withDatabasePool<T>(work: (pool: pg.Pool, settings: { sessionUrl?: string }) => Promise<T>): Promise<T> {
  const config = loadConfig(['database']);
  const pool = createPool(config.DATABASE_URL, 2);
  try {
    return await work(pool, config.DATABASE_SESSION_URL === undefined ? {} : { sessionUrl: config.DATABASE_SESSION_URL });
  } catch (err) {
    throw isUnreachable(err) ? new DatabaseUnavailableError(err) : err;
  } finally {
    await pool.end();
  }
}

/** Could not reach Postgres at all (as opposed to an error of the statement). */
export function isUnreachable(err: unknown): boolean {
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : '';
  return UNREACHABLE_CODES.has(code) || code.startsWith('08');
}
