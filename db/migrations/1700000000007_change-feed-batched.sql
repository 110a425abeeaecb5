-- Up Migration
-- Transaction changes written as one row per statement and account instead of one row per transaction
-- (README "Change feed"). bench/change-feed.ts measured the per-row design at +105% of the transaction write stage:
-- a change row cost about as much to insert as the data row (heap tuple, two index entries), and building its
-- jsonb payload (jsonb_build_object) as much again. A page of 100 transactions now writes one row holding the
-- transactions' images as typed arrays, with a range of 100 sequence numbers; the payloads are built when a consumer
-- reads them (db/queries/changes.ts), from those images, exactly as 1700000000004 built them at write time.
-- Sequence numbers, their commit order and the cursor format are unchanged: each change keeps its own seq, and
-- changes already in fc_changes are read as before.

-- A transaction as the feed shows it. Its own type, not fc_transactions' row type: a stored array of a table's row
-- type would forbid altering that table. Times as fc_transactions holds them; the reader gives them in unix seconds
-- (extract(epoch …) is numeric arithmetic, four times an image, in the triggers that every page's write waits for).
CREATE TYPE fc_transaction_image AS (
  id             text,
  amount         bigint,
  currency       text,
  description    text,
  status         text,
  posted_at      timestamptz,
  void_at        timestamptz,
  transacted_at  timestamptz,
  stripe_updated timestamptz
);

-- A change to one transaction: its image after, and before (null when it was added).
CREATE TYPE fc_transaction_change AS (
  after  fc_transaction_image,
  before fc_transaction_image
);

-- One statement's changes of one kind to one account's transactions: changes[i] has seq first_seq + i - 1.
-- Keyed by the batch's last seq, so the batches a reader needs (those ending after its cursor) are an index range.
CREATE TABLE fc_transaction_changes (
  last_seq    bigint PRIMARY KEY,
  first_seq   bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('transaction.added', 'transaction.modified', 'transaction.removed')),
  account_id  text NOT NULL,
  changes     fc_transaction_change[] NOT NULL CHECK (cardinality(changes) = last_seq - first_seq + 1),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fc_transaction_changes_account_idx ON fc_transaction_changes (account_id, last_seq);
-- A batch is stored out of line uncompressed: pglz compression took about a fifth of what the change triggers cost
-- a page (backend CPU), and every read decompressed it again.
ALTER TABLE fc_transaction_changes ALTER COLUMN changes SET STORAGE EXTERNAL;

-- Reserves the next n sequence numbers and returns the one before them. Updating the state row takes its row lock,
-- held until commit: as in fc_append_changes, transactions that write changes get their numbers one at a time, so
-- seq order is commit order and a reader never sees seq N+1 committed before N. NOTIFY goes out on commit only.
CREATE FUNCTION fc_reserve_seqs(n bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  base bigint;
BEGIN
  UPDATE fc_change_log_state SET last_seq = last_seq + n RETURNING last_seq - n INTO base;
  PERFORM pg_notify('fc_changes', (base + n)::text);
  RETURN base;
END $$;

-- New transactions are `added`; one Stripe already voided was never visible, so it is not announced.
-- Within a statement the changes go by account, then transacted_at and id. The sequence numbers are reserved
-- (HAVING: only when there is a change) in a MATERIALIZED CTE, which Postgres evaluates exactly once.
CREATE FUNCTION fc_transaction_batch_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH batches AS MATERIALIZED (
    SELECT g.account_id, g.changes, sum(cardinality(g.changes)) OVER (ORDER BY g.account_id) AS upto
      FROM (SELECT t.account_id,
                   array_agg(ROW(ROW(t.id, t.amount, t.currency, t.description, t.status, t.posted_at, t.void_at,
                                     t.transacted_at, t.stripe_updated)::fc_transaction_image, NULL)::fc_transaction_change
                             ORDER BY t.transacted_at, t.id) AS changes
              FROM new_rows t WHERE t.status <> 'void' GROUP BY t.account_id) g
  ), reserved AS MATERIALIZED (
    SELECT fc_reserve_seqs(max(upto)) AS base FROM batches HAVING count(*) > 0
  )
  INSERT INTO fc_transaction_changes (last_seq, first_seq, kind, account_id, changes)
  SELECT r.base + b.upto, r.base + b.upto - cardinality(b.changes) + 1, 'transaction.added', b.account_id, b.changes
    FROM batches b CROSS JOIN reserved r;
  RETURN NULL;
END $$;

-- Updated transactions: `removed` when Stripe voided them, else `modified`. An update that changed none of the
-- feed's fields (only transaction_refresh_id) is not a change, nor is a voided transaction voided again.
-- Within a statement the changes go by account, then kind, then transacted_at and id.
-- enable_nestloop = off: PL/pgSQL plans the query once per session, from the transition tables' sizes at the first
-- call. An upsert fires this trigger even when it only inserted, so that first call usually sees empty tables, and
-- the plan it keeps joins old_rows to new_rows by a nested loop: 100 × 100 row comparisons a page, which cost more
-- than all the rest of the change feed together (bench/results.md note 7). A hash join costs the same at any size.
CREATE FUNCTION fc_transaction_batch_updated() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
BEGIN
  WITH pairs AS MATERIALIZED (
    SELECT n.account_id, n.transacted_at, n.id, CASE WHEN n.status = 'void' THEN 'transaction.removed' ELSE 'transaction.modified' END AS kind,
           ROW(n.id, n.amount, n.currency, n.description, n.status, n.posted_at, n.void_at,
               n.transacted_at, n.stripe_updated)::fc_transaction_image AS after,
           ROW(o.id, o.amount, o.currency, o.description, o.status, o.posted_at, o.void_at,
               o.transacted_at, o.stripe_updated)::fc_transaction_image AS before
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE NOT (o.status = 'void' AND n.status = 'void')
  ), batches AS MATERIALIZED (
    SELECT g.account_id, g.kind, g.changes, sum(cardinality(g.changes)) OVER (ORDER BY g.account_id, g.kind) AS upto
      FROM (SELECT p.account_id, p.kind, array_agg(ROW(p.after, p.before)::fc_transaction_change ORDER BY p.transacted_at, p.id) AS changes
              FROM pairs p WHERE p.after IS DISTINCT FROM p.before GROUP BY p.account_id, p.kind) g
  ), reserved AS MATERIALIZED (
    SELECT fc_reserve_seqs(max(upto)) AS base FROM batches HAVING count(*) > 0
  )
  INSERT INTO fc_transaction_changes (last_seq, first_seq, kind, account_id, changes)
  SELECT r.base + b.upto, r.base + b.upto - cardinality(b.changes) + 1, b.kind, b.account_id, b.changes
    FROM batches b CROSS JOIN reserved r;
  RETURN NULL;
END $$;

-- The same trigger names as before (bench/change-feed.ts switches them off by name). 1700000000004's functions stay,
-- for its down migration to point the triggers back at.
DROP TRIGGER fc_transactions_added ON fc_transactions;
DROP TRIGGER fc_transactions_changed ON fc_transactions;
CREATE TRIGGER fc_transactions_added AFTER INSERT ON fc_transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transaction_batch_inserted();
CREATE TRIGGER fc_transactions_changed AFTER UPDATE ON fc_transactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transaction_batch_updated();

-- The feed after a cursor, as rows of fc_changes' shape: the changes with seq > after_seq, of one account and some
-- kinds when given, in seq order, at most lim. Account changes carry their payload; transaction changes carry
-- their images instead (after, and before unless added), as json with the image's field names, from which the
-- reader builds the payload (db/queries/changes.ts): built here in jsonb it made the query 5–10 times slower.
-- Batches are expanded only as far as lim changes need: `upto` counts the changes after the cursor up to each
-- batch's end, and a batch whose predecessors already hold lim is not read. Images are converted after the limit.
CREATE FUNCTION fc_changes_after(after_seq bigint, account text, kinds text[], lim integer)
RETURNS TABLE (seq bigint, kind text, account_id text, entity_id text, payload jsonb, after json, before json, recorded_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT c.seq, c.kind, c.account_id, c.entity_id, c.payload, to_json(c.after), to_json(c.before), c.recorded_at
    FROM (
      (SELECT f.seq, f.kind, f.account_id, f.entity_id, f.payload, NULL::fc_transaction_image AS after,
              NULL::fc_transaction_image AS before, f.recorded_at
         FROM fc_changes f
        WHERE f.seq > after_seq AND (account IS NULL OR f.account_id = account) AND (kinds IS NULL OR f.kind = ANY (kinds))
        ORDER BY f.seq LIMIT lim)
      UNION ALL
      (SELECT b.first_seq + e.i - 1, b.kind, b.account_id, (e.after).id, NULL::jsonb, e.after, e.before, b.recorded_at
         FROM (SELECT t.first_seq, t.kind, t.account_id, t.changes, t.recorded_at,
                      sum(t.last_seq - greatest(t.first_seq - 1, after_seq)) OVER (ORDER BY t.last_seq) AS upto,
                      t.last_seq - greatest(t.first_seq - 1, after_seq) AS size
                 FROM fc_transaction_changes t
                WHERE t.last_seq > after_seq AND (account IS NULL OR t.account_id = account) AND (kinds IS NULL OR t.kind = ANY (kinds))) b
        CROSS JOIN LATERAL unnest(b.changes) WITH ORDINALITY AS e(after, before, i)
        WHERE b.upto - b.size < lim AND b.first_seq + e.i - 1 > after_seq)
      ORDER BY seq LIMIT lim
    ) c
   ORDER BY c.seq
$$;

-- Down Migration
-- Changes written as batches are lost by going down (1700000000004's per-row triggers come back).
DROP TRIGGER fc_transactions_added ON fc_transactions;
DROP TRIGGER fc_transactions_changed ON fc_transactions;
CREATE TRIGGER fc_transactions_added AFTER INSERT ON fc_transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transactions_inserted();
CREATE TRIGGER fc_transactions_changed AFTER UPDATE ON fc_transactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transactions_updated();
DROP FUNCTION fc_changes_after(bigint, text, text[], integer);
DROP TABLE fc_transaction_changes;
DROP FUNCTION fc_transaction_batch_updated();
DROP FUNCTION fc_transaction_batch_inserted();
DROP FUNCTION fc_reserve_seqs(bigint);
DROP TYPE fc_transaction_change;
DROP TYPE fc_transaction_image;
