-- Up Migration
-- The fleet-wide Stripe request budget (common/node/fleet-request-budget.ts): one row per budget (per Stripe key) with the
-- next free start time. Every worker process reserves each Stripe request's start here, so the limit holds across
-- the fleet, not per process.
CREATE TABLE fc_stripe_request_budget (
  budget_key text PRIMARY KEY,        -- "stripe:" + a hash of the secret key, never the key itself
  next_slot  timestamptz NOT NULL     -- the earliest start the next request may have; may lie in the future
);

-- Down Migration
DROP TABLE fc_stripe_request_budget;
