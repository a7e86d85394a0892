#!/usr/bin/env bash
# The service's two roles (docs/operations.md, "Database roles"): the owner runs the migrations and owns every
# schema; the application logs in as a member of the runtime group role, which owns nothing. Passwords come from
# the environment (docker-compose.yml), never from this file.
set -euo pipefail
: "${SEATLEDGER_OWNER_PASSWORD:?}" "${SEATLEDGER_APP_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v owner_password="$SEATLEDGER_OWNER_PASSWORD" -v app_password="$SEATLEDGER_APP_PASSWORD" <<'SQL'
CREATE ROLE seatledger_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE seatledger_reader NOLOGIN;
CREATE ROLE seatledger_runtime NOLOGIN;
CREATE ROLE seatledger_app LOGIN PASSWORD :'app_password' IN ROLE seatledger_runtime;
GRANT seatledger_reader TO seatledger_owner WITH ADMIN OPTION;
GRANT seatledger_reader TO seatledger_runtime;
SELECT format('ALTER DATABASE %I OWNER TO seatledger_owner', current_database()) \gexec
SQL
