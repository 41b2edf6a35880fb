#!/bin/sh
# Start a local PostgreSQL cluster (Debian's packages) and create the role and database the test suite uses.
# Prints the URL to export as BSCP_TEST_DATABASE_URL. Run as root; installs postgresql if it is missing.
set -e
if ! command -v pg_lsclusters >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in 1 2 3 4 5 6 7 8 9 10; do
    pg_isready -q -h 127.0.0.1 && break
    sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='bscp'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"CREATE ROLE bscp LOGIN PASSWORD 'bscp' CREATEDB\""
# Dropping a test database (WITH FORCE) must be able to stop an autovacuum worker that is analysing it.
su postgres -c "psql -qc 'GRANT pg_signal_backend TO bscp'" >/dev/null 2>&1
# Setting up the server roles (bscp-desktop server-setup) and adding users needs CREATEROLE.
su postgres -c "psql -qc 'ALTER ROLE bscp CREATEROLE'" >/dev/null
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='bscp_test'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'CREATE DATABASE bscp_test OWNER bscp'"
echo "postgresql+psycopg://bscp:bscp@127.0.0.1/bscp_test"
