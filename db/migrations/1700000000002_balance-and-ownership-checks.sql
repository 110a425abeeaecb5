-- Up Migration
-- Pre-debit balance checks and ownership verifications: one row per request, kept as the audit trail of
-- what was decided and on which data.

-- One row per balance check. Amounts are minor units; balance figures stay here, never in workflow history.
CREATE TABLE fc_balance_checks (
  id                   text PRIMARY KEY,             -- the check id (last part of its workflow id)
  workflow_id          text NOT NULL,
  account_id           text,                         -- null when the payment could not be resolved to an FC account
  payment_intent_id    text,
  payment_method_id    text,
  amount               bigint NOT NULL,
  currency             text NOT NULL,
  outcome              text NOT NULL,                -- decided | manual_entry_no_fc_account | payment_intent_not_found | …
  decision             text NOT NULL CHECK (decision IN ('sufficient', 'insufficient', 'unknown')),
  basis                text CHECK (basis IN ('cash_available', 'current', 'credit')),
  reason               text NOT NULL,                -- domain/balance-decision.ts reason, or the outcome
  message              text NOT NULL,
  weaker               boolean NOT NULL DEFAULT false, -- `current` stood in for a missing `available`
  compared_amount      bigint,                       -- the balance figure compared with `amount`
  balance_type         text,                         -- cash | credit
  balance_as_of        timestamptz,
  balance_refreshed_at timestamptz,
  age_seconds          integer,
  max_age_seconds      integer NOT NULL,
  data_source          text CHECK (data_source IN ('stored', 'refreshed')),
  fresh                boolean,
  stale_reason         text,                         -- why the decision could not wait for fresh data
  refresh              jsonb,                        -- the refresh run or joined: {workflowId, joined, status, outcome, nextRefreshAvailableAt}
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fc_balance_checks_account_idx ON fc_balance_checks (account_id, created_at DESC);
CREATE INDEX fc_balance_checks_payment_intent_idx ON fc_balance_checks (payment_intent_id) WHERE payment_intent_id IS NOT NULL;

-- One row per ownership verification. The client writes the expected values (PII) with status 'pending';
-- the workflow only carries the row's id, and its comparison activity writes the per-field result here.
CREATE TABLE fc_ownership_checks (
  id                     text PRIMARY KEY,
  account_id             text NOT NULL,
  status                 text NOT NULL CHECK (status IN ('pending', 'completed')),
  expected_name          text,
  expected_email         text,
  expected_phone         text,
  expected_address       text,
  max_age_seconds        integer NOT NULL,
  workflow_id            text,
  ownership_id           text,                       -- the fcaowns_… compared against
  owners_compared        integer,
  best_owner_id          text,                       -- fcaown_… of the best-scoring owner
  overall                text CHECK (overall IN ('match', 'review', 'no_match')),
  reason                 text,                       -- domain/ownership-match.ts reason
  score                  double precision,
  fields                 jsonb,                      -- {name|email|phone|address: {status, score}} of the best owner
  ownership_refreshed_at timestamptz,
  data_source            text CHECK (data_source IN ('stored', 'refreshed')),
  fresh                  boolean,
  stale_reason           text,
  refresh                jsonb,
  created_at             timestamptz NOT NULL DEFAULT now(),
  completed_at           timestamptz
);
CREATE INDEX fc_ownership_checks_account_idx ON fc_ownership_checks (account_id, created_at DESC);

-- Down Migration
DROP TABLE fc_ownership_checks;
DROP TABLE fc_balance_checks;
