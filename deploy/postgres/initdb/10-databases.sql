-- Runs once, when the postgres service starts on an empty volume (docker-entrypoint-initdb.d), as POSTGRES_USER.
-- The application's database, fc_refresh, is POSTGRES_DB and already exists. Temporal keeps its persistence and
-- visibility stores beside it; the temporal-schema service (deploy/temporal/setup-schema.sh) creates their tables
-- and would create the databases too, but they exist from the first start on.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
