# The two commands: `make run` opens the app, `make test` runs the whole test suite.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-server faults lint venv sysdeps screenshots bench bundle clean

run: $(STAMP) sysdeps
	@$(PY) -m compileall -q bscp_desktop
	$(VENV)/bin/bscp-desktop --demo

# Every test, on as many worker processes as the machine has cores (pytest-xdist). The PostgreSQL tests run when
# BSCP_TEST_DATABASE_URL names a server (scripts/postgres-test-db.sh starts one) and are skipped, saying so, without.
test: $(STAMP) sysdeps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n auto

# Only the tests that reach the PostgreSQL server (BSCP_TEST_DATABASE_URL must name one).
test-server: $(STAMP) sysdeps
	@test -n "$$BSCP_TEST_DATABASE_URL" || { echo "test-server needs BSCP_TEST_DATABASE_URL (sh scripts/postgres-test-db.sh prints one)"; exit 2; }
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n auto -m server

# The fault and security probes, quick (CI runs them: a probe that proves nothing, or a fault figure that is not
# 0, fails the build). On PostgreSQL too when BSCP_TEST_DATABASE_URL names a server.
faults: $(STAMP) sysdeps
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/faults.py --quick

# Static checks (CI runs them after the tests): ruff's lint rules and mypy over the package; the Windows workflow
# through actionlint; every locked package has a Windows wheel; the installer definition compiles (wixl).
lint: $(STAMP)
	$(PY) -m pip install -q -e '.[dev]'
	@sh scripts/system-deps.sh wixl
	$(PY) -m ruff check bscp_desktop tests benchmarks
	$(PY) -m mypy
	$(VENV)/bin/actionlint .github/workflows/windows.yml
	sh scripts/check-wheels.sh
	sh scripts/check-installer.sh

# The one-folder bundle (PyInstaller, build.spec) in dist/bscp-desktop, then the frozen program's own checks run
# from it outside the source tree (scripts/check-bundle.sh; with BSCP_TEST_DATABASE_URL, a copy to the server too).
bundle: $(STAMP) sysdeps
	$(PY) -m pip install -q --require-hashes -r requirements/bundle.lock
	rm -rf build/bscp-desktop dist/bscp-desktop
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN build.spec
	sh scripts/check-bundle.sh dist/bscp-desktop

venv: $(STAMP)

$(STAMP): pyproject.toml
	@py=$$(sh scripts/find-python.sh); \
	if [ -z "$$py" ]; then \
	  echo "bscp-desktop needs Python 3.12 or newer and none was found."; \
	  echo "Install one, e.g. 'apt-get install python3.12 python3.12-venv', 'pyenv install 3.12', or python.org's installer, then run make again."; \
	  exit 1; \
	fi; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
	  rm -rf $(VENV); \
	fi; \
	[ -x $(PY) ] || "$$py" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m compileall -q bscp_desktop
	touch $(STAMP)

sysdeps:
	@sh scripts/system-deps.sh

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/bscp-desktop demo --db out/demo.db --incidents 300 --seed 1
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/bscp-desktop --self-test --db out/demo.db --screenshots out/screens

# Every benchmark script; each prints its figures beside the issue's target.
bench: $(STAMP)
	@sh scripts/system-deps.sh libreoffice-calc-nogui
	$(PY) benchmarks/clocks.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/ui_dashboard.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/start_to_dashboard.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/start_timeline.py
	$(PY) benchmarks/report_vs_libreoffice.py
	$(PY) benchmarks/import_speed.py
	$(PY) benchmarks/faults.py
	$(PY) benchmarks/encryption.py

clean:
	rm -rf $(VENV) build dist out *.egg-info
