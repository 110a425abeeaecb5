-- Runs once, when the postgres service starts on an empty volume (docker-entrypoint-initdb.d), as POSTGRES_USER.
-- The application's database, fc_refresh, is POSTGRES_DB and already exists. Temporal keeps its persistence and
-- visibility stores beside it; the temporal service runs with SKIP_DB_CREATE=true, so these are the only place
-- that creates them.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
