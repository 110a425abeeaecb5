// The figures that need Postgres alone, for measuring them while working on them; they print, writing nothing.
import type pg from 'pg';
import { createPool } from '../db/pool';
import { createTestDatabase } from '../test/helpers/database';
import { measureChangeFeed } from './change-feed';
import { measureWriteStage } from './ingest';
import { log, round } from './measure';
import { startBenchPostgres } from './stack';

/** A migrated database of its own on the bench's Postgres, for the length of `work`. */
async function withDatabase(work: (pool: pg.Pool) => Promise<unknown>): Promise<void> {
  const postgres = await startBenchPostgres();
  const pool = createPool(await createTestDatabase(postgres.url));
  try {
    process.stdout.write(`${JSON.stringify(await work(pool))}\n`);
  } finally {
    await pool.end();
    await postgres.stop();
  }
}

/** `npm run bench -- --only change-feed`: figure 7 (the change feed's triggers) as results.json would hold it. */
export function measureChangeFeedOnly(rowsPerRound: number, rounds: number): Promise<void> {
  return withDatabase(async (pool) => {
    log(`change feed only: ${rounds} rounds of ${rowsPerRound} rows`);
    return { changeFeed: await measureChangeFeed(pool, rowsPerRound, rounds) };
  });
}

/** `npm run bench -- --only write-stage`: figure 3's write stage (the page upsert against COPY and plain per-page INSERTs). */
export function measureWriteStageOnly(rows: number): Promise<void> {
  return withDatabase(async (pool) => {
    const { writeSeconds, copySeconds, plainInsertSeconds } = await measureWriteStage(pool, rows);
    return {
      writeStage: {
        writeRowsPerSec: Math.round(rows / writeSeconds), copyRowsPerSec: Math.round(rows / copySeconds), writeRatioToCopy: round(copySeconds / writeSeconds, 3),
        plainInsertRowsPerSec: Math.round(rows / plainInsertSeconds), plainInsertRatioToCopy: round(copySeconds / plainInsertSeconds, 3),
      },
    };
  });
}
