import pg from 'pg';
import { decodeChangeCursor, encodeChangeCursor } from '../common/change-cursor';
import { inTransaction } from '../db/pool';
import { getChangeLogState, listChanges, type ChangeKind, type ChangeRow } from '../db/queries/changes';
import { getConsumer, setConsumerCursor } from '../db/queries/consumers';
import {
  CHANGE_GROUPS,
  type AccountStatusChanged,
  type BalanceChanged,
  type Change,
  type ChangeGroup,
  type OwnershipChanged,
  type SyncOptions,
  type SyncResult,
  type TransactionFields,
  type TransactionModified,
} from './change-types';
import { ConsumerNotRegisteredError, CursorExpiredError, InvalidInputError } from './errors';
import { parseAccountId } from './validate';

export const CHANGES_CHANNEL = 'fc_changes';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;
const CONSUMER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function parseConsumerName(name: string): string {
  if (!CONSUMER_NAME.test(name)) {
    throw new InvalidInputError('consumer', `"${name}" is not a consumer name (letters, digits, . _ -, at most 100)`);
  }
  return name;
}

/**
 * The change feed over fc-refresh's Postgres tables: what was added, modified or removed since a consumer last
 * looked, in commit order, each change once. Reads Postgres only (DATABASE_URL); nothing passes through Temporal.
 */
export class ChangeFeed {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * The changes after `cursor` (else after the consumer's last acknowledged cursor). Calling with a cursor
   * acknowledges every change before it, which lets retention prune them. Throws CursorExpiredError when the cursor
   * can no longer be continued from, ConsumerNotRegisteredError for an unknown consumer.
   */
  async sync(options: SyncOptions): Promise<SyncResult> {
    const consumer = parseConsumerName(options.consumer);
    const limit = options.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new InvalidInputError('limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
    const accountId = options.accountId === undefined ? null : parseAccountId(options.accountId);
    const kinds = options.kinds === undefined ? null : kindsOf(options.kinds);
    const explicitSeq = options.cursor === undefined ? null : parseCursor(options.cursor);

    // One snapshot for the feed's state and its rows: the head returned as nextCursor is exactly what was read.
    const { fromSeq, rows, lastSeq } = await inSnapshot(this.pool, async (client) => {
      const registered = await getConsumer(client, consumer);
      if (!registered) throw new ConsumerNotRegisteredError(consumer);
      const state = await getChangeLogState(client);
      const from = explicitSeq ?? registered.cursorSeq;
      if (from > state.lastSeq || from < state.prunedThrough) {
        throw new CursorExpiredError(consumer, from > state.lastSeq ? 'unknown' : 'expired', encodeChangeCursor(state.lastSeq));
      }
      const page = await listChanges(client, { afterSeq: from, accountId, kinds, limit: limit + 1 });
      return { fromSeq: from, rows: page, lastSeq: state.lastSeq };
    });
    await setConsumerCursor(this.pool, consumer, fromSeq);

    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit).map(toChange);
    const result: SyncResult = {
      added: [], modified: [], removed: [], balances: [], ownership: [], accounts: [],
      changes: page,
      nextCursor: encodeChangeCursor(hasMore ? (page.at(-1)?.seq ?? fromSeq) : lastSeq),
      hasMore,
    };
    for (const change of page) {
      if (change.kind === 'transaction.added') result.added.push(change);
      else if (change.kind === 'transaction.modified') result.modified.push(change);
      else if (change.kind === 'transaction.removed') result.removed.push(change);
      else if (change.kind === 'balance.changed') result.balances.push(change);
      else if (change.kind === 'ownership.changed') result.ownership.push(change);
      else result.accounts.push(change);
    }
    return result;
  }

  /** Records that the consumer has processed every change before `cursor` (the end of a run, say). */
  async acknowledge(consumer: string, cursor: string): Promise<void> {
    const seq = parseCursor(cursor);
    const registered = await getConsumer(this.pool, parseConsumerName(consumer));
    if (!registered) throw new ConsumerNotRegisteredError(consumer);
    await setConsumerCursor(this.pool, consumer, seq);
  }

  /** The cursor after the newest committed change: where a consumer that has just loaded the tables starts. */
  async head(): Promise<string> {
    return encodeChangeCursor((await getChangeLogState(this.pool)).lastSeq);
  }

  /**
   * Calls `onCommit` whenever a transaction that wrote changes commits (Postgres LISTEN/NOTIFY on `fc_changes`;
   * the payload is the newest seq). Holds one pool connection until `close`, or with `connectionString` a
   * connection of its own there: behind a transaction-mode pooler (PgBouncer) a LISTEN lasts only as long as its
   * transaction, so it needs a direct or session-mode URL (DATABASE_SESSION_URL).
   */
  async listen(onCommit: (lastSeq: number) => void, options: { connectionString?: string } = {}): Promise<{ close(): Promise<void> }> {
    let client: pg.ClientBase;
    let release: (err?: Error) => Promise<void>;
    if (options.connectionString === undefined) {
      const pooled = await this.pool.connect();
      client = pooled;
      release = async (err) => pooled.release(err);
    } else {
      const own = new pg.Client({ connectionString: options.connectionString, connectionTimeoutMillis: 5_000 });
      own.on('error', () => {});
      await own.connect();
      client = own;
      release = () => own.end().catch(() => {});
    }
    const handler = (message: pg.Notification): void => {
      if (message.channel === CHANGES_CHANNEL) onCommit(Number(message.payload ?? 0));
    };
    client.on('notification', handler);
    try {
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      await release(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    return {
      async close() {
        client.off('notification', handler);
        await client.query(`UNLISTEN ${CHANGES_CHANNEL}`).catch(() => {});
        await release();
      },
    };
  }
}

function parseCursor(cursor: string): number {
  const seq = decodeChangeCursor(cursor);
  if (seq === null) throw new InvalidInputError('cursor', `"${cursor.slice(0, 80)}" is not a change feed cursor`);
  return seq;
}

function kindsOf(groups: ChangeGroup[]): ChangeKind[] {
  return groups.flatMap((group) => {
    const kinds = CHANGE_GROUPS[group];
    if (!kinds) throw new InvalidInputError('kinds', `"${group}" is not a kind of change; use ${Object.keys(CHANGE_GROUPS).join(', ')}`);
    return kinds;
  });
}

/** One consistent view of the change log for a whole page: a read-only repeatable-read transaction. */
function inSnapshot<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}

type PayloadOf<C extends Change> = Omit<C, 'seq' | 'cursor' | 'kind' | 'accountId' | 'recordedAt' | 'transactionId'>;

/** A stored row as the typed change of its kind (the payload's fields were written by the migration's triggers). */
function toChange(row: ChangeRow): Change {
  const base = { seq: row.seq, cursor: encodeChangeCursor(row.seq), accountId: row.account_id, recordedAt: row.recorded_at };
  switch (row.kind) {
    case 'transaction.added':
    case 'transaction.modified':
    case 'transaction.removed': {
      const { previous, changed, ...transaction } = row.payload as unknown as TransactionFields & Partial<PayloadOf<TransactionModified>>;
      return row.kind === 'transaction.added'
        ? { ...base, kind: row.kind, transactionId: row.entity_id, transaction }
        : { ...base, kind: row.kind, transactionId: row.entity_id, transaction, previous: previous ?? {}, changed: changed ?? [] };
    }
    case 'balance.changed':
      return { ...(row.payload as unknown as PayloadOf<BalanceChanged>), ...base, kind: row.kind };
    case 'ownership.changed':
      return { ...(row.payload as unknown as PayloadOf<OwnershipChanged>), ...base, kind: row.kind };
    case 'account.status_changed':
      return { ...(row.payload as unknown as PayloadOf<AccountStatusChanged>), ...base, kind: row.kind };
  }
}
