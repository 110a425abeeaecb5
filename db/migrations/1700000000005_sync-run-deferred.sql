-- Up Migration
-- Accounts a scheduled sync run deferred (their next refresh lay beyond the run's defer window) instead of waiting
-- for them. status gains deadline_passed (the run's deadline came before every account was started).
ALTER TABLE fc_sync_runs ADD COLUMN accounts_deferred integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE fc_sync_runs DROP COLUMN accounts_deferred;
