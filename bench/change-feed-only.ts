// `npm run bench -- --only change-feed`: figure 7 without the rest of the stack (it needs Postgres only), for
// measuring the change feed's triggers while working on them. Prints the figure as results.json would hold it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPostgres } from '../db/local-postgres';
import { createPool } from '../db/pool';
import { hydratePostgresBinaries } from '../scripts/ensure-tools.mjs';
import { createTestDatabase } from '../test/helpers/database';
import { measureChangeFeed } from './change-feed';
import { log } from './measure';

export async function measureChangeFeedOnly(rowsPerRound: number, rounds: number): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  let stop = async (): Promise<void> => {};
  if (!serverUrl) {
    hydratePostgresBinaries();
    const dataDir = await mkdtemp(join(tmpdir(), 'fc-refresh-bench-pg-'));
    // Postgres' durable defaults, as in the full run: commit latency is part of the write stage.
    const postgres = await startLocalPostgres({ dataDir, persistent: false });
    serverUrl = postgres.url;
    stop = async () => {
      await postgres.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const pool = createPool(await createTestDatabase(serverUrl));
  try {
    log(`change feed only: ${rounds} rounds of ${rowsPerRound} rows`);
    process.stdout.write(`${JSON.stringify({ changeFeed: await measureChangeFeed(pool, rowsPerRound, rounds) })}\n`);
  } finally {
    await pool.end();
    await stop();
  }
}
