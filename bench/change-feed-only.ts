// `npm run bench -- --only change-feed`: figure 7 without the rest of the stack (it needs Postgres only), for
// measuring the change feed's triggers while working on them. Prints the figure as results.json would hold it.
import { createPool } from '../db/pool';
import { createTestDatabase } from '../test/helpers/database';
import { measureChangeFeed } from './change-feed';
import { measureWriteStage } from './ingest';
import { log, round } from './measure';
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

/**
 * `npm run bench -- --only write-stage`: figure 3's write stage without the rest of the stack (Postgres only), for
 * measuring the page upsert while working on it. Prints its figures, writing nothing.
 */
export async function measureWriteStageOnly(rows: number): Promise<void> {
  const postgres = await startBenchPostgres();
  const pool = createPool(await createTestDatabase(postgres.url));
  try {
    const { writeSeconds, copySeconds } = await measureWriteStage(pool, rows);
    const writeRowsPerSec = Math.round(rows / writeSeconds);
    const copyRowsPerSec = Math.round(rows / copySeconds);
    process.stdout.write(`${JSON.stringify({ writeStage: { writeRowsPerSec, copyRowsPerSec, writeRatioToCopy: round(writeSeconds > 0 ? copySeconds / writeSeconds : 0, 3) } })}\n`);
  } finally {
    await pool.end();
    await postgres.stop();
  }
}
