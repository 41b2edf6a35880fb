"""The command line: outputs, exit status 2 with one line for bad arguments, and no Qt unless a window opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bscp_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_due_prints_one_iso_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "due", "notification", "2025-12-19") == (0, "2025-12-30\n", "")
    assert run(capsys, "due", "rapid-review", "30/12/2025") == (0, "2026-01-21\n", "")
    assert run(capsys, "due", "archive", "2024-02-29") == (0, "2027-02-28\n", "")


@pytest.mark.parametrize(
    ("argv", "words"),
    [(["due", "notify", "2025-12-19"], "unknown rule 'notify'"),
     (["due", "notification", "2025-13-01"], "not a real calendar date"),
     (["due", "notification", "yesterday"], "is not a date"),
     (["due", "notification"], "required"),
     (["frobnicate"], "invalid choice"),
     (["demo"], "--db"),
     (["demo", "--db", "x.db", "--incidents", "-4"], "must not be negative"),
     (["--screenshots", "shots"], "--screenshots needs --self-test"),
     (["--demo", "--db", "mine.db"], "--demo opens the demo database")],
)
def test_bad_arguments_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], words: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


@pytest.mark.sqlite_only
def test_due_uses_the_databases_closure_days(capsys: pytest.CaptureFixture[str], svc: object, db_path: Path) -> None:
    import datetime as dt

    svc.settings.add_closure(dt.date(2025, 12, 29), "Office closed")  # type: ignore[attr-defined]
    assert run(capsys, "due", "notification", "2025-12-19", "--db", str(db_path))[1] == "2025-12-31\n"
    code, _, err = run(capsys, "due", "notification", "2025-12-19", "--db", str(db_path.with_name("none.db")))
    assert code == 2 and "does not exist" in err


def test_demo_check_backup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    code, out, _ = run(capsys, "demo", "--db", str(db), "--incidents", "50", "--seed", "2", "--as-of", "20/11/2026")
    assert code == 0 and "50 fictional incidents" in out and "as of 20/11/2026" in out
    code, _, err = run(capsys, "demo", "--db", str(db))
    assert code == 2 and "already exists" in err
    code, out, _ = run(capsys, "check", "--db", str(db))
    assert code == 0 and "(up to date)" in out and "integrity: ok" in out and "incidents: 50" in out
    code, out, _ = run(capsys, "backup", "--db", str(db), "--out", str(tmp_path / "copy.db"))
    assert code == 0 and (tmp_path / "copy.db").exists()
    code, out, _ = run(capsys, "check", "--db", str(tmp_path / "copy.db"))
    assert code == 0 and "incidents: 50" in out
    code, _, err = run(capsys, "backup", "--db", str(db), "--out", str(tmp_path / "copy.db"))
    assert code == 2 and "already exists" in err


def test_check_reports_problems(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", "--db", str(tmp_path / "missing.db"))
    assert code == 1 and "does not exist" in out
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    code, out, err = run(capsys, "check", "--db", str(junk))
    assert code == 2 and out == "" and err.strip().endswith("is not a bscp-desktop register (not a database this "
                                                             "program can read)")


def test_command_line_imports_no_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from bscp_desktop.cli import main\n"
        "assert main(['due', 'notification', '2025-12-19']) == 0\n"
        f"assert main(['demo', '--db', r'{tmp_path / 'q.db'}', '--incidents', '20']) == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_module_entry_point(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "bscp_desktop", "due", "archive-request", "2025-12-01"],
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (0, "2025-12-31\n")


def test_module_entry_point_exits_with_the_command_status(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "bscp_desktop", "report", "weekly", "--out", str(tmp_path / "w.pdf")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "unknown report 'weekly'" in r.stderr
    assert not (tmp_path / "w.pdf").exists()


def test_version_names_the_schema_python_qt_and_sqlcipher() -> None:
    r = subprocess.run([sys.executable, "-m", "bscp_desktop", "--version"], capture_output=True, text=True,
                       timeout=60)
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and lines[0].startswith("bscp-desktop ")
    parts = dict(line.strip().split(": ", 1) for line in lines[1:])
    from bscp_desktop.store.migrate import newest_revision_file

    assert parts["Schema it writes"] == newest_revision_file()
    assert parts["Python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}")
    assert parts["Qt"].startswith("6.") and parts["SQLCipher"].startswith("4.")
