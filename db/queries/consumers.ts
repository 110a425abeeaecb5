import type { Queryable } from '../pool';

/** A registered reader of the change feed, without its notification secret. */
export interface ConsumerRecord {
  name: string;
  /** The consumer has processed every change up to this seq (its last acknowledged cursor). */
  cursorSeq: number;
  url: string | null;
  createdAt: Date;
  syncedAt: Date | null;
  notifiedAt: Date | null;
}

interface ConsumerRow {
  name: string;
  cursor_seq: number;
  url: string | null;
  created_at: Date;
  synced_at: Date | null;
  notified_at: Date | null;
}

const toRecord = (row: ConsumerRow): ConsumerRecord => ({
  name: row.name,
  cursorSeq: row.cursor_seq,
  url: row.url,
  createdAt: row.created_at,
  syncedAt: row.synced_at,
  notifiedAt: row.notified_at,
});

const COLUMNS = 'name, cursor_seq, url, created_at, synced_at, notified_at';

/** Registers a consumer; false when the name is taken (nothing is changed then). */
export async function insertConsumer(db: Queryable, consumer: { name: string; cursorSeq: number; url: string | null; secret: string | null }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO fc_consumers (name, cursor_seq, url, secret) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
    [consumer.name, consumer.cursorSeq, consumer.url, consumer.secret],
  );
  return rowCount === 1;
}

export async function getConsumer(db: Queryable, name: string): Promise<ConsumerRecord | null> {
  const { rows } = await db.query<ConsumerRow>(`SELECT ${COLUMNS} FROM fc_consumers WHERE name = $1`, [name]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function listConsumers(db: Queryable): Promise<ConsumerRecord[]> {
  const { rows } = await db.query<ConsumerRow>(`SELECT ${COLUMNS} FROM fc_consumers ORDER BY name`);
  return rows.map(toRecord);
}

export async function deleteConsumer(db: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM fc_consumers WHERE name = $1`, [name]);
  return rowCount === 1;
}

/** Records the consumer's acknowledged position: it has processed every change up to `seq`. */
export async function setConsumerCursor(db: Queryable, name: string, seq: number): Promise<void> {
  await db.query(`UPDATE fc_consumers SET cursor_seq = $2, synced_at = now() WHERE name = $1`, [name, seq]);
}

/** Where and how to notify a consumer, and whether it has anything to read. */
export interface NotificationTarget {
  name: string;
  url: string | null;
  secret: string | null;
  cursorSeq: number;
  lastSeq: number;
}

export async function getNotificationTarget(db: Queryable, name: string): Promise<NotificationTarget | null> {
  const { rows } = await db.query<{ name: string; url: string | null; secret: string | null; cursor_seq: number; last_seq: number }>(
    `SELECT c.name, c.url, c.secret, c.cursor_seq, s.last_seq FROM fc_consumers c CROSS JOIN fc_change_log_state s WHERE c.name = $1`,
    [name],
  );
  const row = rows[0];
  return row ? { name: row.name, url: row.url, secret: row.secret, cursorSeq: row.cursor_seq, lastSeq: row.last_seq } : null;
}

/** Consumers with a notification URL that have changes they have not read yet, and the newest seq. */
export async function listConsumersBehind(db: Queryable): Promise<{ name: string; lastSeq: number }[]> {
  const { rows } = await db.query<{ name: string; last_seq: number }>(
    `SELECT c.name, s.last_seq FROM fc_consumers c CROSS JOIN fc_change_log_state s
      WHERE c.url IS NOT NULL AND c.cursor_seq < s.last_seq ORDER BY c.name`,
  );
  return rows.map((row) => ({ name: row.name, lastSeq: row.last_seq }));
}

export async function markConsumerNotified(db: Queryable, name: string): Promise<void> {
  await db.query(`UPDATE fc_consumers SET notified_at = now() WHERE name = $1`, [name]);
}
