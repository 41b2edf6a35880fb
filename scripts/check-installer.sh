#!/bin/sh
# Compile the Windows installer definition (installer/bscp-desktop.wxs) with wixl, from Debian's msitools, so a
# broken definition is caught on Linux. The bundle's files come from a stand-in folder laid out as the Windows
# bundle is (the two programs, a DLL and a data file in _internal): the real MSI is built by the Windows workflow.
set -eu
cd "$(dirname "$0")/.."
command -v wixl >/dev/null 2>&1 || { echo "wixl is missing: sh scripts/system-deps.sh wixl" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundle/_internal/bscp_desktop/store/migrations"
for f in bscp-desktop.exe bscp-desktop-cli.exe _internal/python312.dll _internal/bscp_desktop/store/migrations/env.py; do
    printf 'stand-in\n' > "$work/bundle/$f"
done
${PYTHON:-.venv/bin/python} scripts/installer_files.py "$work/bundle" "$work/bundle-files.wxs"
definition="$(pwd)/installer/bscp-desktop.wxs"
(cd "$work" && wixl -D Version=0.1.0 -D SourceDir=bundle -a x64 -o bscp-desktop.msi "$definition" bundle-files.wxs)
echo "installer definition compiles: $(wc -c < "$work/bscp-desktop.msi") bytes of MSI from a stand-in bundle"
