-- Up Migration
-- Nothing stale wins: Stripe delivers events in no particular order and retries a failed delivery for days, so
-- every "current" value advances only when the incoming refresh is newer by Stripe's own ordering (the refresh's
-- last_attempted_at, then its id), never by arrival time. The guards live here, in SQL, so no code path skips them.

-- The newest settled refresh of each account and feature: the one the stored data (balance pointer, ownership
-- pointer, transactions cursor) comes from, or the newest failure. Pointers move only in the same transaction that
-- advances this row.
CREATE TABLE fc_feature_state (
  account_id        text NOT NULL,
  feature           text NOT NULL CHECK (feature IN ('balance', 'ownership', 'transactions')),
  last_attempted_at timestamptz NOT NULL,          -- Stripe's last_attempted_at of that refresh
  refresh_id        text NOT NULL DEFAULT '',      -- what tells refreshes of one second apart: the transaction refresh
                                                   -- id, the ownership id, the balance's as_of; '' when unknown
  status            text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  error             jsonb,
  settled_by        text NOT NULL,                 -- workflow id/run that settled it (a retry of that run re-applies)
  settled_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, feature)
);

-- Whether `incoming` (a refresh's last_attempted_at and id) is newer than `stored`: Stripe's order. Its timestamps
-- have one-second resolution, so two different refreshes attempted in the same second (told apart by their id) are
-- ordered by arrival: the later one to settle wins. The same refresh (same second and id) is not newer.
CREATE FUNCTION fc_refresh_is_newer(stored_at timestamptz, stored_id text, incoming_at timestamptz, incoming_id text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT stored_at IS NULL
      OR stored_at < incoming_at
      OR (stored_at = incoming_at AND coalesce(stored_id, '') <> coalesce(incoming_id, ''))
$$;

-- Rank of a refresh hash within Stripe's order: (last_attempted_at, completed after pending).
CREATE FUNCTION fc_refresh_hash_rank(hash jsonb)
RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN hash IS NULL OR jsonb_typeof(hash) <> 'object' THEN -1
              ELSE (hash->>'last_attempted_at')::numeric * 2 + CASE WHEN hash->>'status' = 'pending' THEN 0 ELSE 1 END END
$$;

-- Merges two {balance, ownership, transactions} refresh-state objects, keeping the newer hash of each feature.
CREATE FUNCTION fc_merge_refresh_state(stored jsonb, incoming jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'balance', CASE WHEN fc_refresh_hash_rank(incoming->'balance') >= fc_refresh_hash_rank(stored->'balance')
                    THEN incoming->'balance' ELSE stored->'balance' END,
    'ownership', CASE WHEN fc_refresh_hash_rank(incoming->'ownership') >= fc_refresh_hash_rank(stored->'ownership')
                      THEN incoming->'ownership' ELSE stored->'ownership' END,
    'transactions', CASE WHEN fc_refresh_hash_rank(incoming->'transactions') >= fc_refresh_hash_rank(stored->'transactions')
                         THEN incoming->'transactions' ELSE stored->'transactions' END)
$$;

-- Severity of an account status, for two observations within the same second (Stripe's event resolution):
-- the more restrictive one wins, so money never moves on an account that may have just closed.
CREATE FUNCTION fc_status_rank(status text)
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE status WHEN 'active' THEN 0 WHEN 'inactive' THEN 1 ELSE 2 END
$$;

-- Which refresh the balance pointer and the ownership pointer come from.
ALTER TABLE fc_accounts
  ADD COLUMN balance_refresh_attempted_at timestamptz,
  ADD COLUMN ownership_refresh_attempted_at timestamptz;

-- Which refresh the transactions cursor comes from, so it never moves back to an older one.
ALTER TABLE fc_transaction_cursors ADD COLUMN refresh_attempted_at timestamptz;

-- One processing per event id under concurrent deliveries: a delivery claims the event for a short lease.
ALTER TABLE stripe_events
  ADD COLUMN claim_token text,
  ADD COLUMN claimed_until timestamptz;

-- Down Migration
ALTER TABLE stripe_events DROP COLUMN claimed_until, DROP COLUMN claim_token;
ALTER TABLE fc_transaction_cursors DROP COLUMN refresh_attempted_at;
ALTER TABLE fc_accounts DROP COLUMN ownership_refresh_attempted_at, DROP COLUMN balance_refresh_attempted_at;
DROP FUNCTION fc_status_rank(text);
DROP FUNCTION fc_merge_refresh_state(jsonb, jsonb);
DROP FUNCTION fc_refresh_hash_rank(jsonb);
DROP FUNCTION fc_refresh_is_newer(timestamptz, text, timestamptz, text);
DROP TABLE fc_feature_state;
