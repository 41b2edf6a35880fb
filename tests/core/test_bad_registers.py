"""A register the program cannot use as it is: every command says so in one plain line (no SQL, no web link,
no traceback), and a read-only register opens for reading, reports and exports, and refuses every write."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bscp_desktop.cli import main
from tests.bad_registers import BAD_KINDS, good_register, held_locked, make_bad, read_only_copy

COMMANDS = [
    ["due", "notification", "2025-01-06", "--db", "{db}"],
    ["report", "deadlines", "--db", "{db}", "--out", "{tmp}/out.pdf"],
    ["calendar", "--db", "{db}", "--out", "{tmp}/out.ics"],
    ["import", "{tmp}/rows.csv", "--db", "{db}"],
    ["copy", "--from", "{db}", "--to", "{tmp}/copy.db"],
    ["demo", "--db", "{db}", "--incidents", "5"],
    ["check", "--db", "{db}"],
]


@pytest.mark.parametrize("kind", BAD_KINDS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_on_a_bad_register_prints_one_plain_line(kind: str, command: list[str], tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = make_bad(kind, tmp_path)
    (tmp_path / "rows.csv").write_text("Pseudonym,Harm,Became aware\nChild Q,Died,03/02/2025\n", encoding="utf-8")
    argv = [a.format(db=db, tmp=tmp_path) for a in command]
    capsys.readouterr()
    if kind == "locked":
        with held_locked(db):
            code = main(argv)
    else:
        code = main(argv)
    out, err = capsys.readouterr()
    text = out + err
    assert code in (1, 2)
    assert "Traceback" not in text and "http" not in text and "[SQL:" not in text and "sqlalchemy" not in text.lower()
    if command[0] != "check":  # check prints a report of several lines, its problem among them
        assert len(err.strip().splitlines()) == 1, err
        assert str(db.name) in err or "register" in err


def test_a_damaged_register_names_the_latest_daily_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from bscp_desktop.store.copies import daily_backup
    from bscp_desktop.store.engine import Database, resolve_url

    db = tmp_path / "register.db"
    shutil.copyfile(good_register(tmp_path), db)
    register = Database(resolve_url(db))
    copy = daily_backup(register, dt.date(2026, 11, 19))
    register.dispose()
    assert copy is not None
    shutil.copyfile(make_bad("corrupt", tmp_path), db)  # then the register is damaged where it lies
    assert main(["report", "deadlines", "--db", str(db), "--out", str(tmp_path / "o.pdf")]) == 1
    err = capsys.readouterr().err
    assert "is damaged" in err and str(copy) in err and "Restore the latest daily copy" in err


def test_a_read_only_register_reads_reports_and_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with read_only_copy(good_register(tmp_path), tmp_path) as db:
        before = db.read_bytes()
        assert main(["check", "--db", str(db)]) == 0
        assert "integrity: ok" in capsys.readouterr().out
        assert main(["report", "deadlines", "--db", str(db), "--out", str(tmp_path / "r.pdf")]) == 0
        assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
        assert main(["calendar", "--db", str(db), "--out", str(tmp_path / "r.ics")]) == 0
        assert main(["backup", "--db", str(db), "--out", str(tmp_path / "copy.db")]) == 0
        with sqlite3.connect(tmp_path / "copy.db") as conn:
            assert conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0] == 20
        capsys.readouterr()
        (tmp_path / "rows.csv").write_text("Pseudonym,Harm,Became aware\nChild Q,Died,03/02/2025\n", encoding="utf-8")
        assert main(["import", str(tmp_path / "rows.csv"), "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "read-only" in err
        assert db.read_bytes() == before


def test_a_write_to_a_read_only_register_is_refused_before_anything(tmp_path: Path) -> None:
    from bscp_desktop.services import Services
    from bscp_desktop.store.errors import ReadOnlyStore

    with read_only_copy(good_register(tmp_path), tmp_path) as db:
        svc = Services.open(db, user="tester")
        try:
            assert svc.db.read_only
            assert svc.incidents.count() == 20
            with pytest.raises(ReadOnlyStore, match="open read-only"):
                svc.settings.add_closure(__import__("datetime").date(2026, 12, 24), "Office closed")
        finally:
            svc.close()
