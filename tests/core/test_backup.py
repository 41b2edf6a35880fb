"""Backups: the daily copy made when the program starts, the fortnight kept, the copies before an upgrade pruned
after their days; every copy filed under its register's own id, so two registers of one name never meet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.services import Services
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.store.copies import copies_folder, copies_of, daily_backup, register_id
from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.keys import is_encrypted

D = dt.date


@pytest.mark.sqlite_only
def test_one_copy_a_day_and_a_fortnight_kept(svc: Any, backend: str, tmp_path: Path) -> None:
    svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2)))
    register = register_id(svc.db)
    assert register is not None
    folder = copies_folder(register) / "daily"
    first = daily_backup(svc.db, D(2026, 11, 1))
    assert first is not None and first.name == "test-2026-11-01.db"
    # A copy of an encrypted register is encrypted too, and opens like the register (its key is kept for it).
    assert is_encrypted(first) == (backend == "sqlcipher")
    copy = Database(resolve_url(first))
    with copy.engine.connect() as conn:  # a usable database with the incident in it
        assert conn.exec_driver_sql("SELECT pseudonym FROM incidents").fetchall() == [("Child A",)]
    copy.dispose()
    assert first.parent == folder
    assert daily_backup(svc.db, D(2026, 11, 1)) is None  # today's copy exists
    (folder / "notes.txt").write_text("not a backup")  # other files in the folder are left alone
    for day in range(2, 20):
        daily_backup(svc.db, D(2026, 11, day))
    kept = sorted(p.name for p in folder.glob("test-*.db"))
    assert len(kept) == 14 and kept[0] == "test-2026-11-06.db" and kept[-1] == "test-2026-11-19.db"
    assert (folder / "notes.txt").exists()


def test_a_server_database_is_not_copied(svc: Any, backend: str, tmp_path: Path) -> None:
    made = daily_backup(svc.db, D(2026, 11, 1))
    assert (made is None) == (backend == "postgresql")


def _register(path: Path, pseudonym: str) -> Services:
    from bscp_desktop.services import Services

    path.parent.mkdir(parents=True, exist_ok=True)
    svc = Services.open(path, today=lambda: D(2026, 11, 20))
    svc.initialise_new()
    svc.incidents.register(IncidentInput(pseudonym, "died", D(2026, 11, 2)))
    return svc


def _pseudonyms(copy: Path) -> list[str]:
    db = Database(resolve_url(copy))
    try:
        with db.engine.connect() as conn:
            return [r[0] for r in conn.exec_driver_sql("SELECT pseudonym FROM incidents")]
    finally:
        db.dispose()


@pytest.mark.plain_only
def test_two_registers_of_one_name_keep_their_copies_apart(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """bscp.db in two folders: each gets its own daily copy on the same day, each finds only its own copies,
    the advice for a damaged one names its own copy, and encrypting one leaves the other's copies alone."""
    from bscp_desktop.cli import main
    from bscp_desktop.store.keys import file_state

    first, second = _register(tmp_path / "east" / "bscp.db", "Child East"), _register(tmp_path / "west" / "bscp.db",
                                                                                      "Child West")
    assert register_id(first.db) != register_id(second.db)
    east = daily_backup(first.db, D(2026, 11, 19))
    west = daily_backup(second.db, D(2026, 11, 19))  # the same day, the same name: not skipped
    assert east is not None and west is not None and east != west
    assert _pseudonyms(east) == ["Child East"] and _pseudonyms(west) == ["Child West"]
    assert [c.path for c in copies_of(register_id(first.db))] == [east]
    assert [c.path for c in copies_of(register_id(second.db))] == [west]
    first.close()
    second.close()
    # the east register is damaged: the advice names east's copy, never west's
    damaged = tmp_path / "east" / "bscp.db"
    size = damaged.stat().st_size
    with open(damaged, "r+b") as f:
        f.seek(4096 * 2)
        f.write(b"\xa5" * (size - 4096 * 2))
    assert main(["report", "deadlines", "--db", str(damaged), "--out", str(tmp_path / "o.pdf")]) == 1
    err = capsys.readouterr().err
    assert str(east) in err and str(west) not in err
    # encrypting west encrypts west's copy only
    import os

    os.environ["BSCP_DB_PASSPHRASE"] = "a fictional passphrase of length"
    try:
        assert main(["encrypt", "--db", str(tmp_path / "west" / "bscp.db"), "--passphrase"]) == 0
    finally:
        del os.environ["BSCP_DB_PASSPHRASE"]
    assert file_state(west) == "encrypted" and file_state(east) == "plain"


@pytest.mark.sqlite_only
def test_copies_before_an_upgrade_are_filed_under_the_register_and_pruned_after_their_days(
        tmp_path: Path) -> None:
    from bscp_desktop.services import Services
    from bscp_desktop.store.copies import prune
    from bscp_desktop.store.migrate import upgrade

    path = tmp_path / "old" / "bscp.db"
    path.parent.mkdir()
    old = Database(resolve_url(path))
    upgrade(old, target="0010")
    old.dispose()
    svc = Services.open(path)  # the upgrade to 0011 copies the register aside first, under its new id
    register = register_id(svc.db)
    assert register is not None and svc.migration is not None and svc.migration.backup is not None
    assert svc.migration.backup.parent == copies_folder(register)
    [made] = copies_of(register)
    assert made.kind == "pre-upgrade" and made.path == svc.migration.backup
    svc.close()
    assert prune(register, made.made + dt.timedelta(days=90)) == []  # kept for 90 days
    assert prune(register, made.made + dt.timedelta(days=91)) == [made.path] and not made.path.exists()


@pytest.mark.sqlite_only
def test_a_copy_made_with_copy_is_a_register_of_its_own(svc: Any, tmp_path: Path) -> None:
    from bscp_desktop.cli import main

    assert main(["copy", "--from", str(svc.db.path), "--to", str(tmp_path / "moved.db")]) == 0
    moved = Database(resolve_url(tmp_path / "moved.db"))
    try:
        assert register_id(moved) not in (None, register_id(svc.db))
    finally:
        moved.dispose()
