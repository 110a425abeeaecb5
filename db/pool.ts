import pg from 'pg';

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// bigint columns (amounts) come back as JS numbers: minor units stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/** Runs `work` in one database transaction (`begin` sets its mode, e.g. a read-only snapshot). */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Hot statements (the transaction page upsert) run as named prepared statements: parsed and planned once per
 * connection instead of once per call. A pooler that hands each transaction a different server connection
 * (PgBouncer in transaction mode before 1.21, or with max_prepared_statements = 0) loses them between calls;
 * FC_PG_NAMED_STATEMENTS=false (README "PgBouncer") runs them unnamed instead.
 */
let namedStatements = true;

export function useNamedStatements(enabled: boolean): void {
  namedStatements = enabled;
}

/** `{ name }` for a pg query config while named statements are on, else nothing (an unnamed statement). */
export function statementName(name: string): { name?: string } {
  return namedStatements ? { name } : {};
}

export function toTimestamp(unixSeconds: number | null | undefined): Date | null {
  return unixSeconds === null || unixSeconds === undefined ? null : new Date(unixSeconds * 1000);
}
