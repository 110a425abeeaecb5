-- Up Migration
-- One summary row per scheduled transaction sync run (the schedule's workflow), updated as pages complete.
CREATE TABLE fc_sync_runs (
  id                   text PRIMARY KEY,            -- the scheduled workflow's id
  started_at           timestamptz NOT NULL DEFAULT now(),
  finished_at          timestamptz,
  status               text NOT NULL,               -- running | completed
  accounts_seen        integer NOT NULL DEFAULT 0,
  accounts_synced      integer NOT NULL DEFAULT 0,
  accounts_skipped     integer NOT NULL DEFAULT 0,
  accounts_failed      integer NOT NULL DEFAULT 0,
  transactions_added   integer NOT NULL DEFAULT 0,
  transactions_updated integer NOT NULL DEFAULT 0,
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE fc_sync_runs;
