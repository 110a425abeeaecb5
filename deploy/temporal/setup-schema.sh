#!/bin/sh
# Creates Temporal's two Postgres databases and brings their schemas to the server release's version, with
# Temporal's own SQL tool. Used by `npm run cluster` (cluster/temporal-schema.ts) and by docker-compose.yml's
# temporal-schema service, so both set up the same way. Every step is idempotent: create-database skips an existing
# database, `setup-schema -v 0.0` only adds the version table to a new one, update-schema applies missing versions.
#   usage: setup-schema.sh SCHEMA_ROOT          (the release's schema/postgresql/v12 folder)
#   connection: the tool's SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (kept out of the process list)
#   optional: TEMPORAL_SQL_TOOL (default temporal-sql-tool), DBNAME, VISIBILITY_DBNAME
set -eu
schema_root=$1
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  database=${pair%%:*}
  schema=${pair#*:}
  "$tool" --plugin postgres12 --db "$database" create-database
  "$tool" --plugin postgres12 --db "$database" setup-schema -v 0.0
  "$tool" --plugin postgres12 --db "$database" update-schema -d "$schema_root/$schema/versioned"
done
