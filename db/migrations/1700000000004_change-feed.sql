-- Up Migration
-- The change feed (README "Change feed"): what changed in the data contract's tables, for the services that use
-- them. Triggers on the data tables write the change rows in the same statement, hence the same transaction, as
-- the data: a change is never visible before its data is committed, never lost after, and a guarded write that
-- changed nothing (a stale or duplicate event, the same page again) fires nothing.

-- One row: the last sequence number handed out and how far the feed has been pruned.
CREATE TABLE fc_change_log_state (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_seq       bigint NOT NULL DEFAULT 0,
  pruned_through bigint NOT NULL DEFAULT 0        -- every change with seq <= this has been pruned
);
INSERT INTO fc_change_log_state DEFAULT VALUES;

-- One row per change, in commit order.
CREATE TABLE fc_changes (
  seq         bigint PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('transaction.added', 'transaction.modified', 'transaction.removed',
                                            'balance.changed', 'ownership.changed', 'account.status_changed')),
  account_id  text NOT NULL,
  entity_id   text NOT NULL,                      -- fctxn_…, fcaowns_… or the account id
  payload     jsonb NOT NULL,                     -- the changed entity's fields, what it was before, what changed
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fc_changes_account_idx ON fc_changes (account_id, seq);

-- Services reading the feed: where each one is (its last acknowledged cursor) and where to notify it.
CREATE TABLE fc_consumers (
  name        text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
  cursor_seq  bigint NOT NULL DEFAULT 0,          -- the consumer has processed every change up to this seq
  url         text,                               -- HTTP "changes available" notifications go here (null: none)
  secret      text,                               -- HMAC key of those notifications; never logged
  created_at  timestamptz NOT NULL DEFAULT now(),
  synced_at   timestamptz,
  notified_at timestamptz
);

-- Retention clears processed events' payloads (they may carry account data); the row stays for deduplication.
ALTER TABLE stripe_events ALTER COLUMN payload DROP NOT NULL;

-- Appends changes with the next sequence numbers. Updating the state row takes its row lock, held until commit:
-- transactions that write changes get their numbers one at a time, so seq order is commit order and a reader
-- never sees seq N+1 committed before N. Statements that emit changes should come last in their transaction,
-- so the lock is held only for the commit. NOTIFY is delivered on commit, and only then.
CREATE FUNCTION fc_append_changes(kinds text[], account_ids text[], entity_ids text[], payloads jsonb[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  n integer := coalesce(cardinality(kinds), 0);
  base bigint;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  UPDATE fc_change_log_state SET last_seq = last_seq + n RETURNING last_seq - n INTO base;
  -- unnest, not kinds[i]: subscripting a jsonb[] deconstructs the whole array on every access.
  INSERT INTO fc_changes (seq, kind, account_id, entity_id, payload)
    SELECT base + c.i, c.kind, c.account_id, c.entity_id, c.payload
      FROM unnest(kinds, account_ids, entity_ids, payloads) WITH ORDINALITY AS c(kind, account_id, entity_id, payload, i);
  PERFORM pg_notify('fc_changes', (base + n)::text);
END $$;

-- STABLE like extract() on timestamptz, so Postgres inlines it (an IMMUTABLE label would make it a call per use).
CREATE FUNCTION fc_epoch(at timestamptz) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT extract(epoch FROM at)::bigint $$;

-- A transaction as the feed shows it: the columns taken from Stripe, times in unix seconds as Stripe gives them.
-- The object is spelled out inline in both triggers: a function taking the row is not inlined and cost 5× as much.

-- New transactions are `added`; one Stripe already voided was never visible, so it is not announced.
CREATE FUNCTION fc_transactions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM fc_append_changes(array_agg('transaction.added'::text ORDER BY t.transacted_at, t.id), array_agg(t.account_id ORDER BY t.transacted_at, t.id),
    array_agg(t.id ORDER BY t.transacted_at, t.id), array_agg(jsonb_build_object('amount', t.amount, 'currency', t.currency, 'description', t.description, 'status', t.status,
             'postedAt', extract(epoch FROM t.posted_at)::bigint, 'voidAt', extract(epoch FROM t.void_at)::bigint,
             'transactedAt', extract(epoch FROM t.transacted_at)::bigint, 'updated', extract(epoch FROM t.stripe_updated)::bigint)
             ORDER BY t.transacted_at, t.id))
    FROM new_rows t WHERE t.status <> 'void';
  RETURN NULL;
END $$;

-- Updated transactions: `removed` when Stripe voided them, else `modified` with the fields that changed and their
-- previous values. An update that changed none of the feed's fields (only transaction_refresh_id) is not a change.
CREATE FUNCTION fc_transactions_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM fc_append_changes(array_agg(c.kind ORDER BY c.transacted_at, c.id), array_agg(c.account_id ORDER BY c.transacted_at, c.id),
            array_agg(c.id ORDER BY c.transacted_at, c.id), array_agg(c.payload ORDER BY c.transacted_at, c.id))
  FROM (
  WITH pairs AS MATERIALIZED (  -- each row's fields built once, not once per field compared
    SELECT n.id, n.account_id, n.transacted_at, o.status AS old_status, n.status AS new_status,
           jsonb_build_object('amount', o.amount, 'currency', o.currency, 'description', o.description, 'status', o.status,
             'postedAt', extract(epoch FROM o.posted_at)::bigint, 'voidAt', extract(epoch FROM o.void_at)::bigint,
             'transactedAt', extract(epoch FROM o.transacted_at)::bigint, 'updated', extract(epoch FROM o.stripe_updated)::bigint) AS before,
           jsonb_build_object('amount', n.amount, 'currency', n.currency, 'description', n.description, 'status', n.status,
             'postedAt', extract(epoch FROM n.posted_at)::bigint, 'voidAt', extract(epoch FROM n.void_at)::bigint,
             'transactedAt', extract(epoch FROM n.transacted_at)::bigint, 'updated', extract(epoch FROM n.stripe_updated)::bigint) AS after
      FROM old_rows o JOIN new_rows n ON n.id = o.id
  ), changes AS (
    SELECT p.id, p.account_id, p.transacted_at,
           CASE WHEN p.new_status = 'void' THEN 'transaction.removed' ELSE 'transaction.modified' END AS kind,
           p.after || jsonb_build_object('previous', d.previous, 'changed', d.changed) AS payload
      FROM pairs p
     CROSS JOIN LATERAL (
       SELECT jsonb_object_agg(key, p.before -> key) AS previous, jsonb_agg(key ORDER BY key) AS changed
         FROM jsonb_object_keys(p.after) AS key
        WHERE p.before -> key IS DISTINCT FROM p.after -> key
     ) d
     WHERE d.changed IS NOT NULL AND NOT (p.old_status = 'void' AND p.new_status = 'void')
  )
  SELECT * FROM changes
  ) c;
  RETURN NULL;
END $$;

CREATE TRIGGER fc_transactions_added AFTER INSERT ON fc_transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transactions_inserted();
CREATE TRIGGER fc_transactions_changed AFTER UPDATE ON fc_transactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fc_transactions_updated();

-- An account's balance at one as_of, per currency.
CREATE FUNCTION fc_balance_at(account text, as_of timestamptz) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_object_agg(b.currency, jsonb_build_object('type', b.type, 'current', b.current,
           'cashAvailable', b.cash_available, 'creditUsed', b.credit_used))
    FROM fc_balances b WHERE b.account_id = account AND b.as_of = fc_balance_at.as_of
$$;

-- The owners of `ownership` none of whose name, email, phone and address appear together in `other`.
CREATE FUNCTION fc_owners_not_in(account text, ownership text, other text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(o.id ORDER BY o.id), '[]'::jsonb) FROM fc_owners o
   WHERE o.account_id = account AND o.ownership_id = ownership
     AND NOT EXISTS (SELECT 1 FROM fc_owners p WHERE p.account_id = account AND p.ownership_id = other
                        AND (p.name, p.email, p.phone, p.raw_address) IS NOT DISTINCT FROM (o.name, o.email, o.phone, o.raw_address))
$$;

-- Account rows: a new account or a new status, a balance with a new as_of, a new current ownership snapshot.
-- fc_accounts' WHERE guards decide what is stored; an upsert they turn away fires nothing here.
CREATE FUNCTION fc_accounts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kinds text[] := '{}';
  entities text[] := '{}';
  payloads jsonb[] := '{}';
  new_balance jsonb;
  old_balance jsonb;
BEGIN
  IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status THEN
    kinds := kinds || 'account.status_changed'::text;
    entities := entities || NEW.id;
    payloads := payloads || jsonb_build_object('status', NEW.status,
      'previousStatus', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, 'disconnectedAt', fc_epoch(NEW.disconnected_at));
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.balance_as_of IS DISTINCT FROM NEW.balance_as_of THEN
    new_balance := fc_balance_at(NEW.id, NEW.balance_as_of);
    old_balance := fc_balance_at(NEW.id, OLD.balance_as_of);
    kinds := kinds || 'balance.changed'::text;
    entities := entities || NEW.id;
    payloads := payloads || jsonb_build_object('asOf', fc_epoch(NEW.balance_as_of), 'previousAsOf', fc_epoch(OLD.balance_as_of),
      'balance', new_balance, 'previous', old_balance,
      'changed', (SELECT coalesce(jsonb_agg(c || '.' || f ORDER BY c, f), '[]'::jsonb)
                    FROM jsonb_object_keys(coalesce(new_balance, '{}') || coalesce(old_balance, '{}')) AS c
                   CROSS JOIN unnest(ARRAY['current', 'cashAvailable', 'creditUsed']) AS f
                   WHERE coalesce(new_balance -> c -> f, 'null') IS DISTINCT FROM coalesce(old_balance -> c -> f, 'null')));
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.ownership_id IS DISTINCT FROM NEW.ownership_id THEN
    kinds := kinds || 'ownership.changed'::text;
    entities := entities || coalesce(NEW.ownership_id, NEW.id);
    payloads := payloads || jsonb_build_object('ownershipId', NEW.ownership_id, 'previousOwnershipId', OLD.ownership_id,
      'owners', (SELECT count(*) FROM fc_owners WHERE account_id = NEW.id AND ownership_id = NEW.ownership_id),
      'ownersAdded', fc_owners_not_in(NEW.id, NEW.ownership_id, OLD.ownership_id),
      'ownersRemoved', fc_owners_not_in(NEW.id, OLD.ownership_id, NEW.ownership_id));
  END IF;
  PERFORM fc_append_changes(kinds, array_fill(NEW.id, ARRAY[cardinality(kinds)]), entities, payloads);
  RETURN NULL;
END $$;

CREATE TRIGGER fc_accounts_changes AFTER INSERT OR UPDATE ON fc_accounts FOR EACH ROW EXECUTE FUNCTION fc_accounts_changed();

-- Down Migration
DROP TRIGGER fc_accounts_changes ON fc_accounts;
DROP TRIGGER fc_transactions_changed ON fc_transactions;
DROP TRIGGER fc_transactions_added ON fc_transactions;
DROP FUNCTION fc_accounts_changed();
DROP FUNCTION fc_owners_not_in(text, text, text);
DROP FUNCTION fc_balance_at(text, timestamptz);
DROP FUNCTION fc_transactions_updated();
DROP FUNCTION fc_transactions_inserted();
DROP FUNCTION fc_epoch(timestamptz);
DROP FUNCTION fc_append_changes(text[], text[], text[], jsonb[]);
UPDATE stripe_events SET payload = '{}' WHERE payload IS NULL;
ALTER TABLE stripe_events ALTER COLUMN payload SET NOT NULL;
DROP TABLE fc_consumers;
DROP TABLE fc_changes;
DROP TABLE fc_change_log_state;
