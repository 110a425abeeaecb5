-- Up Migration
-- Leaner transaction change triggers (README "Change feed"; issue 14's bound: change rows add at most 20% to the
-- transaction write stage). perf on the Postgres backend during bench/change-feed.ts put about four fifths of what
-- the feed added to a page's upsert inside the two trigger functions of 1700000000007, and there: building three
-- composites per change (the change and its two nested images) and comparing the images as records (a type cache
-- lookup per comparison), a MATERIALIZED CTE chain with a window over it, a PL/pgSQL call to reserve the numbers,
-- the batch table's two CHECK constraints (deserialized and planned again on every INSERT statement), and the full
-- query run for the trigger whose transition tables are empty (an upsert fires both, one of them usually empty).
-- Now a change is one flat composite (its fields after, then before), unchanged rows are told apart by comparing
-- columns, each (account, kind) batch is reserved and inserted by plain statements in a loop, an empty transition
-- table returns at once, and the checks are gone (only these triggers write the table, with literal kinds). Trigger
-- CPU per page of 100 went down by about a third (perf samples, alternating runs), and a modified change is stored
-- in fewer bytes (two composite headers fewer). Sequence numbers, their commit order, batch order (by account, then
-- kind, then transacted_at and id) and the payloads consumers read are unchanged; existing batches are converted.

-- A change to one transaction: the transaction's fields after it, then their values before it (all null when the
-- transaction was added: the batch's kind says so). Times as fc_transactions holds them.
CREATE TYPE fc_transaction_delta AS (
  id                    text,
  amount                bigint,
  currency              text,
  description           text,
  status                text,
  posted_at             timestamptz,
  void_at               timestamptz,
  transacted_at         timestamptz,
  stripe_updated        timestamptz,
  before_amount         bigint,
  before_currency       text,
  before_description    text,
  before_status         text,
  before_posted_at      timestamptz,
  before_void_at        timestamptz,
  before_transacted_at  timestamptz,
  before_stripe_updated timestamptz
);

CREATE FUNCTION fc_transaction_deltas_of(changes fc_transaction_change[]) RETURNS fc_transaction_delta[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(ROW((c.after).id, (c.after).amount, (c.after).currency, (c.after).description, (c.after).status,
                       (c.after).posted_at, (c.after).void_at, (c.after).transacted_at, (c.after).stripe_updated,
                       (c.before).amount, (c.before).currency, (c.before).description, (c.before).status,
                       (c.before).posted_at, (c.before).void_at, (c.before).transacted_at, (c.before).stripe_updated)::fc_transaction_delta
                   ORDER BY c.i)
    FROM unnest(changes) WITH ORDINALITY AS c(after, before, i)
$$;

ALTER TABLE fc_transaction_changes
  DROP CONSTRAINT fc_transaction_changes_kind_check,
  DROP CONSTRAINT fc_transaction_changes_check,
  ALTER COLUMN changes TYPE fc_transaction_delta[] USING fc_transaction_deltas_of(changes);
-- Out of line uncompressed, as 1700000000007 decided (the type change resets it).
ALTER TABLE fc_transaction_changes ALTER COLUMN changes SET STORAGE EXTERNAL;
DROP FUNCTION fc_transaction_deltas_of(fc_transaction_change[]);

-- New transactions are `added`; one Stripe already voided was never visible, so it is not announced. One batch per
-- account. Updating the state row takes its row lock, held until commit: transactions that write changes get their
-- numbers one at a time, so seq order is commit order (as fc_reserve_seqs, which this inlines). NOTIFY goes out on
-- commit only. id COLLATE "C": byte order breaks transacted_at ties without the locale's comparison.
CREATE FUNCTION fc_transaction_deltas_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  batch record;
  last bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM new_rows) THEN
    RETURN NULL;
  END IF;
  FOR batch IN
    SELECT t.account_id, count(*) AS n,
           array_agg(ROW(t.id, t.amount, t.currency, t.description, t.status, t.posted_at, t.void_at, t.transacted_at, t.stripe_updated,
                         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::fc_transaction_delta
                     ORDER BY t.transacted_at, t.id COLLATE "C") AS changes
      FROM new_rows t WHERE t.status <> 'void'
     GROUP BY t.account_id ORDER BY t.account_id
  LOOP
    UPDATE fc_change_log_state SET last_seq = last_seq + batch.n RETURNING last_seq INTO last;
    INSERT INTO fc_transaction_changes (last_seq, first_seq, kind, account_id, changes)
      VALUES (last, last - batch.n + 1, 'transaction.added', batch.account_id, batch.changes);
  END LOOP;
  IF last IS NOT NULL THEN
    PERFORM pg_notify('fc_changes', last::text);
  END IF;
  RETURN NULL;
END $$;

-- Updated transactions: `removed` when Stripe voided them, else `modified`. An update that changed none of the
-- feed's fields (only transaction_refresh_id) is not a change, nor is a voided transaction voided again. One batch
-- per account and kind. enable_nestloop = off: see fc_transaction_batch_updated (1700000000007), the plan is made at
-- the session's first call, usually with empty transition tables.
CREATE FUNCTION fc_transaction_deltas_updated() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
DECLARE
  batch record;
  last bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM new_rows) THEN
    RETURN NULL;
  END IF;
  FOR batch IN
    SELECT n.account_id, CASE WHEN n.status = 'void' THEN 'transaction.removed' ELSE 'transaction.modified' END AS kind, count(*) AS n,
           array_agg(ROW(n.id, n.amount, n.currency, n.description, n.status, n.posted_at, n.void_at, n.transacted_at, n.stripe_updated,
                         o.amount, o.currency, o.description, o.status, o.posted_at, o.void_at, o.transacted_at, o.stripe_updated)::fc_transaction_delta
                     ORDER BY n.transacted_at, n.id COLLATE "C") AS changes
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE NOT (o.status = 'void' AND n.status = 'void')
       AND (n.amount, n.currency, n.description, n.status, n.posted_at, n.void_at, n.transacted_at, n.stripe_updated)
           IS DISTINCT FROM (o.amount, o.currency, o.description, o.status, o.posted_at, o.void_at, o.transacted_at, o.stripe_updated)
     GROUP BY 1, 2 ORDER BY 1, 2
  LOOP
    UPDATE fc_change_log_state SET last_seq = last_seq + batch.n RETURNING last_seq INTO last;
    INSERT INTO fc_transaction_changes (last_seq, first_seq, kind, account_id, changes)
      VALUES (last, last - batch.n + 1, batch.kind, batch.account_id, batch.changes);
  END LOOP;
  IF last IS NOT NULL THEN
    PERFORM pg_notify('fc_changes', last::text);
  END IF;
  RETURN NULL;
END $$;

-- The same trigger names as before (bench/change-feed.ts drops them by name for its baseline).
DROP TRIGGER fc_transactions_added ON fc_transactions;
DROP TRIGGER fc_transactions_changed ON fc_transactions;
CREATE TRIGGER fc_transactions_added AFTER INSERT ON fc_transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transaction_deltas_inserted();
CREATE TRIGGER fc_transactions_changed AFTER UPDATE ON fc_transactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transaction_deltas_updated();

-- As in 1700000000007, with each transaction change's images made from its delta.
CREATE OR REPLACE FUNCTION fc_changes_after(after_seq bigint, account text, kinds text[], lim integer)
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
      (SELECT b.first_seq + e.i - 1, b.kind, b.account_id, e.id, NULL::jsonb,
              ROW(e.id, e.amount, e.currency, e.description, e.status, e.posted_at, e.void_at, e.transacted_at, e.stripe_updated)::fc_transaction_image,
              CASE WHEN b.kind <> 'transaction.added' THEN
                ROW(e.id, e.before_amount, e.before_currency, e.before_description, e.before_status, e.before_posted_at,
                    e.before_void_at, e.before_transacted_at, e.before_stripe_updated)::fc_transaction_image END,
              b.recorded_at
         FROM (SELECT t.first_seq, t.kind, t.account_id, t.changes, t.recorded_at,
                      sum(t.last_seq - greatest(t.first_seq - 1, after_seq)) OVER (ORDER BY t.last_seq) AS upto,
                      t.last_seq - greatest(t.first_seq - 1, after_seq) AS size
                 FROM fc_transaction_changes t
                WHERE t.last_seq > after_seq AND (account IS NULL OR t.account_id = account) AND (kinds IS NULL OR t.kind = ANY (kinds))) b
        CROSS JOIN LATERAL unnest(b.changes) WITH ORDINALITY AS e(id, amount, currency, description, status, posted_at, void_at, transacted_at,
              stripe_updated, before_amount, before_currency, before_description, before_status, before_posted_at, before_void_at,
              before_transacted_at, before_stripe_updated, i)
        WHERE b.upto - b.size < lim AND b.first_seq + e.i - 1 > after_seq)
      ORDER BY seq LIMIT lim
    ) c
   ORDER BY c.seq
$$;

-- Down Migration
-- Back to 1700000000007's triggers, reader and batch shape (batches written since are converted back).
DROP TRIGGER fc_transactions_added ON fc_transactions;
DROP TRIGGER fc_transactions_changed ON fc_transactions;
CREATE TRIGGER fc_transactions_added AFTER INSERT ON fc_transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transaction_batch_inserted();
CREATE TRIGGER fc_transactions_changed AFTER UPDATE ON fc_transactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transaction_batch_updated();
DROP FUNCTION fc_transaction_deltas_updated();
DROP FUNCTION fc_transaction_deltas_inserted();

CREATE FUNCTION fc_transaction_changes_of(kind text, deltas fc_transaction_delta[]) RETURNS fc_transaction_change[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(ROW(ROW(d.id, d.amount, d.currency, d.description, d.status, d.posted_at, d.void_at, d.transacted_at, d.stripe_updated)::fc_transaction_image,
                       CASE WHEN kind <> 'transaction.added' THEN
                         ROW(d.id, d.before_amount, d.before_currency, d.before_description, d.before_status, d.before_posted_at,
                             d.before_void_at, d.before_transacted_at, d.before_stripe_updated)::fc_transaction_image END)::fc_transaction_change
                   ORDER BY d.i)
    FROM unnest(deltas) WITH ORDINALITY AS d(id, amount, currency, description, status, posted_at, void_at, transacted_at,
              stripe_updated, before_amount, before_currency, before_description, before_status, before_posted_at, before_void_at,
              before_transacted_at, before_stripe_updated, i)
$$;
ALTER TABLE fc_transaction_changes ALTER COLUMN changes TYPE fc_transaction_change[] USING fc_transaction_changes_of(kind, changes);
ALTER TABLE fc_transaction_changes ALTER COLUMN changes SET STORAGE EXTERNAL,
  ADD CONSTRAINT fc_transaction_changes_kind_check CHECK (kind IN ('transaction.added', 'transaction.modified', 'transaction.removed')),
  ADD CONSTRAINT fc_transaction_changes_check CHECK (cardinality(changes) = last_seq - first_seq + 1);
DROP FUNCTION fc_transaction_changes_of(text, fc_transaction_delta[]);

CREATE OR REPLACE FUNCTION fc_changes_after(after_seq bigint, account text, kinds text[], lim integer)
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
DROP TYPE fc_transaction_delta;
