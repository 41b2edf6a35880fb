#!/bin/sh
# Run the frozen program's own checks from a built bundle, outside the source tree, so that what a frozen program
# tends to lose (Alembic revisions, resources, the holidays data, python-docx's templates, the SQLCipher and
# psycopg binaries, Qt's plugins) is found here and not by a user.
#
#   sh scripts/check-bundle.sh [dist/bscp-desktop]
#
# Each step prints one line; the script stops at the first that fails (exit 1). With BSCP_TEST_DATABASE_URL set
# (a PostgreSQL server whose login may create databases, as scripts/postgres-test-db.sh makes) it also copies the
# register into a new database there (made and dropped with psql).
set -eu

BUNDLE=$(cd "${1:-dist/bscp-desktop}" && pwd)
GUI="$BUNDLE/bscp-desktop"  # the window's program; the commands run through the console one
EXE="$BUNDLE/bscp-desktop-cli"
[ -x "$EXE" ] && [ -x "$GUI" ] || { echo "no bundle at $BUNDLE: run make bundle" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bscp-bundle-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"  # nothing of the source tree is on hand from here
export QT_QPA_PLATFORM=offscreen BSCP_DATA_DIR="$WORK/data" BSCP_LOG_DIR="$WORK/logs" BSCP_CACHE_DIR="$WORK/cache" \
       BSCP_SETTINGS_DIR="$WORK/settings"
unset BSCP_DATABASE_URL PYTHONPATH PYTHONHOME 2>/dev/null || true
START=$(date +%s)

step() {  # step "what" command…: run it quietly, say what passed, show its output when it fails
    what=$1
    shift
    if "$@" >"$WORK/out.txt" 2>&1; then
        echo "ok   $what"
    else
        echo "FAIL $what" >&2
        cat "$WORK/out.txt" >&2
        [ -f "$WORK/logs/bscp-desktop.log" ] && tail -20 "$WORK/logs/bscp-desktop.log" >&2
        exit 1
    fi
}

is_pdf() { [ "$(head -c 5 "$1")" = "%PDF-" ] || { echo "$1 is not a PDF" >&2; return 1; }; }
is_zip() { [ "$(head -c 2 "$1")" = "PK" ] || { echo "$1 is not a Word or Excel file" >&2; return 1; }; }

step "version: $("$EXE" --version | head -1)" "$EXE" --version
"$EXE" --version | grep -q "SQLCipher: 4" || { echo "FAIL --version names no SQLCipher 4" >&2; exit 1; }
[ -s "$BUNDLE/_internal/licences/THIRD-PARTY-NOTICES.txt" ] || { echo "FAIL no licence notices in the bundle" >&2; exit 1; }
grep -q "^PySide6_Essentials " "$BUNDLE/_internal/licences/THIRD-PARTY-NOTICES.txt" \
    || { echo "FAIL the notices do not name Qt for Python" >&2; exit 1; }
step "demo register built (Alembic revisions, the starting catalogue, holidays)" \
    "$EXE" demo --db "$WORK/demo.db" --incidents 60 --seed 1
step "check: migrated and whole" "$EXE" check --db "$WORK/demo.db"
step "window self-test (every page, Qt's platform and image plugins)" \
    "$GUI" --self-test --db "$WORK/demo.db" --screenshots "$WORK/screens"
ls "$WORK"/screens/*.png >/dev/null

step "export of the incident register" "$EXE" export incidents --db "$WORK/demo.db" --out "$WORK/incidents.csv"
CASE=$(awk -F, 'NR == 2 { print $1 }' "$WORK/incidents.csv")
[ -n "$CASE" ] || { echo "FAIL no case reference in the export" >&2; exit 1; }
for kind in deadlines status catalogue requests learning annual retention; do
    step "report $kind (PDF)" "$EXE" report "$kind" --db "$WORK/demo.db" --out "$WORK/$kind.pdf"
    step "report $kind is a PDF" is_pdf "$WORK/$kind.pdf"
done
for kind in case rapid-review notification; do
    step "report $kind of $CASE (PDF)" "$EXE" report "$kind" --case "$CASE" --db "$WORK/demo.db" --out "$WORK/$kind.pdf"
    step "report $kind is a PDF" is_pdf "$WORK/$kind.pdf"
done
for kind in annual learning; do
    step "report $kind (Word: python-docx's templates)" "$EXE" report "$kind" --db "$WORK/demo.db" --out "$WORK/$kind.docx"
    step "report $kind is a Word file" is_zip "$WORK/$kind.docx"
done
step "report rapid-review of $CASE (Word)" "$EXE" report rapid-review --case "$CASE" --db "$WORK/demo.db" \
    --out "$WORK/rapid-review.docx"
step "report rapid-review is a Word file" is_zip "$WORK/rapid-review.docx"

step "incident template written" "$EXE" template incidents --out "$WORK/incidents.xlsx"
step "incident template is a workbook" is_zip "$WORK/incidents.xlsx"
step "incident template imported" "$EXE" import "$WORK/incidents.xlsx" --db "$WORK/demo.db"
step "calendar export" "$EXE" calendar --db "$WORK/demo.db" --out "$WORK/deadlines.ics"
grep -q "BEGIN:VCALENDAR" "$WORK/deadlines.ics"

step "plain register for encryption" "$EXE" demo --db "$WORK/secret.db" --incidents 5 --seed 2
export BSCP_DB_PASSPHRASE="bundle check passphrase, fictional"
step "encrypt with a passphrase (SQLCipher)" "$EXE" encrypt --db "$WORK/secret.db" --passphrase
step "encrypted register opens with its passphrase" "$EXE" check --db "$WORK/secret.db"
if [ "$(head -c 15 "$WORK/secret.db")" = "SQLite format 3" ]; then
    echo "FAIL the encrypted register is readable as plain SQLite" >&2
    exit 1
fi
unset BSCP_DB_PASSPHRASE

if [ -n "${BSCP_TEST_DATABASE_URL:-}" ] && command -v psql >/dev/null 2>&1; then
    SERVER=$(printf '%s' "$BSCP_TEST_DATABASE_URL" | sed 's|^postgresql+psycopg://|postgresql://|')
    CHECK_DB=bscp_bundle_check_$$
    TARGET=$(printf '%s' "$BSCP_TEST_DATABASE_URL" | sed "s|/[^/]*\$|/$CHECK_DB|")
    psql -qX "$SERVER" -c "CREATE DATABASE $CHECK_DB" >/dev/null
    trap 'psql -qX "$SERVER" -c "DROP DATABASE IF EXISTS $CHECK_DB WITH (FORCE)" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
    step "copy to PostgreSQL (psycopg)" "$EXE" copy --from "$WORK/demo.db" --to "$TARGET"
    step "check the server copy" "$EXE" check --db "$TARGET"
else
    echo "skip copy to PostgreSQL: set BSCP_TEST_DATABASE_URL (and have psql) to check it"
fi
echo "bundle checks passed in $(( $(date +%s) - START )) s ($(du -sh "$BUNDLE" | cut -f1) bundle)"
