// What a measured run leaves behind, for the README's capacity model: rows and bytes in the application's
// Postgres tables, and (on a cluster, whose persistence is Postgres) rows and bytes in Temporal's own databases.
// Taken before and after a run, the difference is what the run added.
import pg from 'pg';

export interface Storage {
  rows: number;
  /** pg_total_relation_size summed: heap, indexes and TOAST. */
  bytes: number;
}

/** Every table of the database's public schema; row counts exact (count(*)), after ANALYZE-free reads. */
export async function storageOf(databaseUrl: string): Promise<Storage & { historyNodeBytes: number | null }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'`);
    let rows = 0;
    let bytes = 0;
    for (const { name } of tables) {
      const { rows: [counted] } = await client.query<{ n: number; bytes: string }>(`SELECT (SELECT count(*)::int FROM ${name}) AS n, pg_total_relation_size('${name}') AS bytes`);
      rows += counted?.n ?? 0;
      bytes += Number(counted?.bytes ?? 0);
    }
    // Temporal's persistence keeps every workflow history as serialized batches in history_node.data.
    const historyNodeBytes = tables.some((table) => table.name === 'history_node')
      ? Number((await client.query<{ b: string | null }>('SELECT sum(octet_length(data)) AS b FROM history_node')).rows[0]?.b ?? 0)
      : null;
    return { rows, bytes, historyNodeBytes };
  } finally {
    await client.end();
  }
}

/** The same server, another database. */
export function databaseUrlOn(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
