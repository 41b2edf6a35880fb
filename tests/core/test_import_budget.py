"""What the two things a user waits for every day load: ``report deadlines`` and the window's start to a painted
dashboard. Each runs in a fresh process, which then lists the modules it loaded; the test fails when either
loads a library it does not use (Qt or SQLAlchemy's ORM in a report; reportlab, the ORM or a record form before the
dashboard is painted) or more of the program's own modules than the budget written here.

The budgets are counts, not times, so the test does not depend on the machine's speed. The times they stand for
(``python -X importtime``, this 2-core machine, compiled bytecode): ``report deadlines`` imports in about 0.4 s
(SQLAlchemy Core 0.2 s, the schema's tables 0.02 s, reportlab 0.09 s: it reads plain columns, so neither the ORM,
0.06 s, nor the mapped classes, 0.07 s, load); the window imports in about 0.45 s before the dashboard paints
(SQLAlchemy Core 0.2 s, Qt 0.10 s, the pages and the services they name 0.15 s), and it too reads plain columns
until then. ``benchmarks/report_vs_libreoffice.py`` and ``benchmarks/start_to_dashboard.py`` print the
whole-process figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Libraries only some commands need: each loads when first used.
ON_DEMAND = ("pypdf", "docx", "openpyxl", "xlsxwriter", "icalendar", "psycopg", "alembic", "holidays", "keyring",
             "sqlcipher3")

REPORT_BUDGET = 72  # the program's own modules `report deadlines` loads (69 when last set)
WINDOW_BUDGET = 104  # the program's own modules loaded when the dashboard is first painted (101 when last set)


def loaded_by(code: str, tmp_path: Path) -> list[str]:
    """The modules a fresh Python process has loaded after running ``code`` (which ends by printing nothing)."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BSCP_SETTINGS_DIR": str(tmp_path / "settings")}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def loaded(modules: list[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


@pytest.fixture
def register(file_templates: dict, tmp_path: Path) -> Path:
    """A register as on a PC that has opened it before: the bank holidays already in the user's cache folder
    (the first start on a PC computes them with the ``holidays`` package and keeps them there)."""
    from bscp_desktop.store.holiday_cache import cache_file, cached_bank_holidays

    cached_bank_holidays()
    assert cache_file().is_file()
    return file_templates["sqlite"].copy_to(tmp_path / "register.db")


def test_report_deadlines_loads_no_qt_and_only_the_report_it_writes(register: Path, tmp_path: Path) -> None:
    modules = loaded_by(
        "from bscp_desktop.cli import main\n"
        f"assert main(['report', 'deadlines', '--db', r'{register}', '--out', r'{tmp_path / 'd.pdf'}']) == 0\n",
        tmp_path)
    assert (tmp_path / "d.pdf").stat().st_size > 0
    assert not loaded(modules, "PySide6")
    assert [lib for lib in ON_DEMAND if loaded(modules, lib)] == []
    assert not loaded(modules, "sqlalchemy.orm"), "the report reads plain columns: the ORM loads for writes"
    assert not loaded(modules, "bscp_desktop.models")
    reports = [m for m in modules if m.startswith("bscp_desktop.reports.")]
    assert reports == ["bscp_desktop.reports.deadlines"]
    own = [m for m in modules if m.startswith("bscp_desktop")]
    assert len(own) <= REPORT_BUDGET, f"{len(own)} of the program's modules loaded: {own}"


def test_the_window_paints_the_dashboard_before_loading_what_later_pages_need(register: Path,
                                                                            tmp_path: Path) -> None:
    modules = loaded_by(
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from bscp_desktop.ui.runtime.context import AppContext\n"
        "from bscp_desktop.ui.shell.app import MainWindow, open_services\n"
        f"window = MainWindow(AppContext(open_services(r'{register}', False)))\n"
        "window.show()\n"
        "while window.dashboard.loading or window.ctx.runner.busy:\n"
        "    app.processEvents()\n"
        "app.processEvents()\n",
        tmp_path)
    assert loaded(modules, "bscp_desktop.ui.pages.dashboard")  # the process did open the window
    assert not loaded(modules, "reportlab"), "the report library loads when a report is first generated"
    assert not loaded(modules, "PySide6.QtPdf"), "the preview's PDF viewer is made with the first report"
    assert not loaded(modules, "sqlalchemy.orm"), "the dashboard and what the window asks first read plain columns"
    assert not loaded(modules, "bscp_desktop.models")
    assert not loaded(modules, "bscp_desktop.services.demo"), "whether the register is a demo is the log's to say"
    assert [lib for lib in ON_DEMAND if loaded(modules, lib)] == []
    assert [m for m in modules if m.startswith("bscp_desktop.reports.")] == []
    assert [m for m in modules if m.startswith("bscp_desktop.ui.forms.") and m.endswith("_form")] == []
    later_pages = {"incidents", "reviews", "catalogue", "requests", "themes", "statistics", "reports", "retention",
                   "settings"}
    assert [m for m in modules if m.removeprefix("bscp_desktop.ui.pages.") in later_pages] == [], \
        "a page other than the one on screen is made, and its module loaded, when it is first shown"
    own = [m for m in modules if m.startswith("bscp_desktop")]
    assert len(own) <= WINDOW_BUDGET, f"{len(own)} of the program's modules loaded: {own}"
