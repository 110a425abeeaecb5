// `npm run bench -- --only change-feed`: figure 7 without the rest of the stack (it needs Postgres only), for
// measuring the change feed's triggers while working on them. Prints the figure as results.json would hold it.
import { createPool } from '../db/pool';
import { createTestDatabase } from '../test/helpers/database';
import { measureChangeFeed } from './change-feed';
import { log } from './measure';
import { startBenchPostgres } from './stack';

export async function measureChangeFeedOnly(rowsPerRound: number, rounds: number): Promise<void> {
  const postgres = await startBenchPostgres();
  const pool = createPool(await createTestDatabase(postgres.url));
  try {
    log(`change feed only: ${rounds} rounds of ${rowsPerRound} rows`);
    process.stdout.write(`${JSON.stringify({ changeFeed: await measureChangeFeed(pool, rowsPerRound, rounds) })}\n`);
  } finally {
    await pool.end();
    await postgres.stop();
  }
}
