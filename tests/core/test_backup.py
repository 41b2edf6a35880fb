"""Backups: the daily copy made when the program starts, and the fortnight kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.services.incidents import IncidentInput
from bscp_desktop.store.backup import daily_backup
from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.keys import is_encrypted

D = dt.date


@pytest.mark.sqlite_only
def test_one_copy_a_day_and_a_fortnight_kept(svc: Any, backend: str, tmp_path: Path) -> None:
    svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2)))
    folder = tmp_path / "daily"
    first = daily_backup(svc.db, folder, D(2026, 11, 1))
    assert first is not None and first.name == "test-2026-11-01.db"
    # A copy of an encrypted register is encrypted too, and opens like the register (its key is kept for it).
    assert is_encrypted(first) == (backend == "sqlcipher")
    copy = Database(resolve_url(first))
    with copy.engine.connect() as conn:  # a usable database with the incident in it
        assert conn.exec_driver_sql("SELECT pseudonym FROM incidents").fetchall() == [("Child A",)]
    copy.dispose()
    assert daily_backup(svc.db, folder, D(2026, 11, 1)) is None  # today's copy exists
    (folder / "notes.txt").write_text("not a backup")  # other files in the folder are left alone
    for day in range(2, 20):
        daily_backup(svc.db, folder, D(2026, 11, day))
    kept = sorted(p.name for p in folder.glob("test-*.db"))
    assert len(kept) == 14 and kept[0] == "test-2026-11-06.db" and kept[-1] == "test-2026-11-19.db"
    assert (folder / "notes.txt").exists()


def test_a_server_database_is_not_copied(svc: Any, backend: str, tmp_path: Path) -> None:
    made = daily_backup(svc.db, tmp_path / "daily", D(2026, 11, 1))
    assert (made is None) == (backend == "postgresql")
