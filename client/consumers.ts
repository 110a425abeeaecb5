import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { encodeChangeCursor } from '../common/change-cursor';
import { getChangeLogState } from '../db/queries/changes';
import { deleteConsumer, getConsumer, insertConsumer, listConsumers as listConsumerRows, setConsumerCursor, type ConsumerRecord } from '../db/queries/consumers';
import { parseConsumerName } from './change-feed';
import { ConsumerNotRegisteredError, InvalidInputError } from './errors';

/** A change feed consumer as `consumers list` shows it (never its secret). */
export interface ConsumerReport {
  name: string;
  url: string | null;
  /** Its last acknowledged cursor. */
  cursor: string;
  /** Changes committed after that cursor. */
  behind: number;
  /** The changes after its cursor were pruned: its next sync is told to resync. */
  expired: boolean;
  createdAt: Date;
  syncedAt: Date | null;
  notifiedAt: Date | null;
}

export interface ConsumerRegistration {
  created: boolean;
  consumer: ConsumerReport;
  /** The HMAC secret of its notifications, shown once, on creation with a URL; null otherwise. */
  secret: string | null;
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError('url', `"${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidInputError('url', 'the notification URL must be http:// or https://');
  return url.toString();
}

/**
 * Registers a consumer of the change feed. It starts at the oldest change still kept (so it sees every retained
 * change), or with `fromNow` at the head (after loading the current state from the tables). With a URL, a durable
 * workflow `fc-consumer/<name>` POSTs signed "changes available" notifications to it. Idempotent by name: an
 * existing consumer is returned unchanged.
 */
export async function registerConsumer(pool: pg.Pool, input: { name: string; url?: string; fromNow?: boolean }): Promise<ConsumerRegistration> {
  const name = parseConsumerName(input.name);
  const url = input.url === undefined ? null : parseUrl(input.url);
  const secret = url ? `fcwhsec_${randomBytes(32).toString('base64url')}` : null;
  const state = await getChangeLogState(pool);
  const created = await insertConsumer(pool, { name, url, secret, cursorSeq: input.fromNow ? state.lastSeq : state.prunedThrough });
  const reports = await listConsumers(pool);
  const consumer = reports.find((report) => report.name === name);
  if (!consumer) throw new ConsumerNotRegisteredError(name);
  return { created, consumer, secret: created ? secret : null };
}

export async function listConsumers(pool: pg.Pool): Promise<ConsumerReport[]> {
  const [state, rows] = await Promise.all([getChangeLogState(pool), listConsumerRows(pool)]);
  return rows.map((row) => toReport(row, state.lastSeq, state.prunedThrough));
}

/** Unregisters the consumer: it no longer holds back pruning, and its notification workflow ends. */
export async function removeConsumer(pool: pg.Pool, name: string): Promise<void> {
  if (!(await deleteConsumer(pool, parseConsumerName(name)))) throw new ConsumerNotRegisteredError(name);
}

/** Moves the consumer to the feed's head (after a resync from the tables); returns that cursor. */
export async function resetConsumer(pool: pg.Pool, name: string): Promise<string> {
  const consumer = parseConsumerName(name);
  if (!(await getConsumer(pool, consumer))) throw new ConsumerNotRegisteredError(consumer);
  const { lastSeq } = await getChangeLogState(pool);
  await setConsumerCursor(pool, consumer, lastSeq);
  return encodeChangeCursor(lastSeq);
}

function toReport(row: ConsumerRecord, lastSeq: number, prunedThrough: number): ConsumerReport {
  return {
    name: row.name,
    url: row.url,
    cursor: encodeChangeCursor(row.cursorSeq),
    behind: Math.max(0, lastSeq - row.cursorSeq),
    expired: row.cursorSeq < prunedThrough,
    createdAt: row.createdAt,
    syncedAt: row.syncedAt,
    notifiedAt: row.notifiedAt,
  };
}
