-- Up Migration
-- The tables are fc-refresh's data contract for other services (documented in README.md).
-- Times are timestamptz; Stripe's unix seconds are converted on the way in. Amounts are integer minor units.

-- One row per linked account: its lifecycle and the last refresh state seen from Stripe (no PII).
CREATE TABLE fc_accounts (
  id                    text PRIMARY KEY,            -- fca_…
  customer_id           text,
  institution_name      text,
  display_name          text,
  last4                 text,
  category              text,
  subcategory           text,
  status                text NOT NULL,               -- active | inactive | disconnected
  permissions           text[] NOT NULL DEFAULT '{}',
  subscriptions         text[] NOT NULL DEFAULT '{}',
  refresh_state         jsonb NOT NULL DEFAULT '{}', -- {balance:{status,last_attempted_at,next_refresh_available_at}, …}
  balance_refreshed_at  timestamptz,                 -- when fc-refresh last stored a balance result
  balance_as_of         timestamptz,                 -- as_of of that balance; null when Stripe returned balance null
  ownership_id          text,                        -- current fcaowns_…
  ownership_refreshed_at timestamptz,
  stripe_seen_at        timestamptz NOT NULL,        -- when this row was last read from Stripe
  disconnected_at       timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fc_accounts_customer_idx ON fc_accounts (customer_id);
CREATE INDEX fc_accounts_status_idx ON fc_accounts (status);

-- One row per refresh lifecycle (one workflow run).
CREATE TABLE fc_refreshes (
  id                        bigserial PRIMARY KEY,
  account_id                text NOT NULL,
  feature                   text NOT NULL CHECK (feature IN ('balance', 'ownership', 'transactions')),
  workflow_id               text NOT NULL,
  run_id                    text NOT NULL,
  trigger                   text NOT NULL,         -- request | webhook | schedule | subscription
  status                    text NOT NULL,         -- checking | waiting_for_availability | pending | storing | succeeded | failed | account_inactive | timed_out | cancelled
  attempts                  integer NOT NULL DEFAULT 0,
  initiated_at              timestamptz,           -- when fc-refresh's Refresh API call initiated it (null when adopted)
  last_attempted_at         timestamptz,           -- Stripe's last_attempted_at for the refresh being tracked
  next_refresh_available_at timestamptz,
  completed_at              timestamptz,
  transaction_refresh_id    text,
  error                     jsonb,                 -- Stripe's refresh error hash, or fc-refresh's reason
  result                    jsonb,                 -- counts and ids only
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workflow_id, run_id)
);
CREATE INDEX fc_refreshes_account_feature_idx ON fc_refreshes (account_id, feature, created_at DESC);

-- Balance history: one row per account, as_of and currency.
CREATE TABLE fc_balances (
  account_id     text NOT NULL,
  as_of          timestamptz NOT NULL,
  currency       text NOT NULL,
  type           text NOT NULL CHECK (type IN ('cash', 'credit')),
  current        bigint,
  cash_available bigint,
  credit_used    bigint,
  stored_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, as_of, currency)
);

-- Owners of each ownership snapshot (PII: stays here, never in workflow history).
CREATE TABLE fc_owners (
  id            text PRIMARY KEY,                  -- fcaown_…
  account_id    text NOT NULL,
  ownership_id  text NOT NULL,                     -- fcaowns_…
  name          text,
  email         text,
  phone         text,
  raw_address   text,
  refreshed_at  timestamptz,
  stored_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fc_owners_ownership_idx ON fc_owners (account_id, ownership_id);

-- Transactions keyed by Stripe id; a newer `updated` wins, an older one never overwrites.
CREATE TABLE fc_transactions (
  id                     text PRIMARY KEY,         -- fctxn_…
  account_id             text NOT NULL,
  amount                 bigint NOT NULL,
  currency               text NOT NULL,
  description            text,
  status                 text NOT NULL,            -- pending | posted | void
  posted_at              timestamptz,
  void_at                timestamptz,
  transacted_at          timestamptz NOT NULL,
  transaction_refresh_id text NOT NULL,
  stripe_updated         timestamptz NOT NULL,
  stored_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fc_transactions_account_idx ON fc_transactions (account_id, transacted_at DESC);

-- Where the next incremental transaction sync starts (`transaction_refresh[after]`).
CREATE TABLE fc_transaction_cursors (
  account_id             text PRIMARY KEY,
  transaction_refresh_id text NOT NULL,
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Every verified webhook event, so each is processed once.
CREATE TABLE stripe_events (
  id            text PRIMARY KEY,                  -- evt_…
  type          text NOT NULL,
  account_id    text,
  created       timestamptz NOT NULL,
  livemode      boolean NOT NULL,
  payload       jsonb NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz,
  deliveries    integer NOT NULL DEFAULT 1,
  last_error    text
);
CREATE INDEX stripe_events_account_idx ON stripe_events (account_id, created DESC);

-- Down Migration
DROP TABLE stripe_events;
DROP TABLE fc_transaction_cursors;
DROP TABLE fc_transactions;
DROP TABLE fc_owners;
DROP TABLE fc_balances;
DROP TABLE fc_refreshes;
DROP TABLE fc_accounts;
