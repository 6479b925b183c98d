#!/usr/bin/env bash
# The whole test suite: one pass on SQLite, one on PostgreSQL.
# Under CI=true a missing PostgreSQL is a failure; elsewhere that pass is
# skipped with the reason. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest"
POSTGRES_URL="${STET_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/stet}"
in_ci() { [[ "${CI:-}" =~ ^(1|true|yes)$ ]]; }

echo "== SQLite pass"
env -u DATABASE_URL "$PYTEST" "$@"
sqlite_status=$?

echo "== PostgreSQL pass ($POSTGRES_URL)"
if ! reason=$(.venv/bin/python - "$POSTGRES_URL" 2>&1 <<'PY'
import sys, dj_database_url, psycopg
db = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None,
                dbname="postgres", connect_timeout=5).close()
PY
); then
  if in_ci; then
    echo "FAILED: PostgreSQL is not reachable at $POSTGRES_URL, and CI needs it: ${reason##*$'\n'}"
    exit 1
  fi
  echo "SKIPPED the PostgreSQL pass: not reachable at $POSTGRES_URL (${reason##*$'\n'})."
  echo "Start it with: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
  exit $sqlite_status
fi
DATABASE_URL="$POSTGRES_URL" "$PYTEST" "$@"
postgres_status=$?

if (( sqlite_status != 0 )); then
  echo "The SQLite pass failed (exit $sqlite_status)."
  exit $sqlite_status
fi
exit $postgres_status
