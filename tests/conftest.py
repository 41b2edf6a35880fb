"""Shared fixtures: a real temporary SQLite database per test, a fixed "today", and a user data folder in the
test's temporary directory (so no test touches the real one)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = dt.date(2026, 11, 20)  # a Friday


@pytest.fixture(autouse=True)
def _data_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BSCP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BSCP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("BSCP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BSCP_DATABASE_URL", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's database file lives."""
    return tmp_path / "test.db"


@pytest.fixture
def svc(db_path: Path) -> Iterator[Any]:
    """Services over a new, migrated database with the starting agencies, themes and catalogue."""
    from bscp_desktop.services import Services

    s = Services.open(db_path, today=lambda: TODAY, user="tester")
    s.initialise_new()
    yield s
    s.close()


def fingerprint(svc: Any, skip_columns: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (less ``skip_columns``), for "nothing changed" assertions."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with svc.db.engine.connect() as conn:
        insp = inspect(conn)
        for table in sorted(insp.get_table_names()):
            cols = [c["name"] for c in insp.get_columns(table) if c["name"] not in skip_columns]
            sql = "SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{table}"'
            out[table] = sorted(tuple(r) for r in conn.execute(text(sql)))
    return out
