#!/bin/sh
# Resolve the bundle's lock file (requirements/bundle.lock) for 64-bit Windows and Python 3.12 using wheels only,
# and fail when a locked package has no Windows wheel: the Windows workflow installs exactly these, with hashes.
# To refresh the lock after changing pyproject.toml's dependencies (or to take new releases):
#   .venv/bin/uv pip compile pyproject.toml --extra bundle --generate-hashes --universal --python-version 3.12 \
#       -o requirements/bundle.lock
set -eu
cd "$(dirname "$0")/.."
UV="${UV:-.venv/bin/uv}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if "$UV" pip compile requirements/bundle.lock --python-platform x86_64-pc-windows-msvc --python-version 3.12 \
        --only-binary :all: --no-header --quiet -o "$out" 2>"$out.err"; then
    echo "every locked package has a wheel for Windows (win_amd64, Python 3.12): $(grep -c '==' "$out") packages"
    rm -f "$out.err"
else
    echo "a locked package has no Windows wheel for Python 3.12:" >&2
    cat "$out.err" >&2
    rm -f "$out.err"
    exit 1
fi
