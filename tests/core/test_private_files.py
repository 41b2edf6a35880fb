"""Every file the program writes is its user's alone (POSIX 0600 files, 0700 folders, whatever the umask it was
started with), and ``check`` warns when a register or its copies can be read by other accounts."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's (Windows: the profile's ACL)")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Start as a shell with the usual umask (022: new files readable by everyone) would start the program."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def readable_by_others(root: Path) -> list[str]:
    """Every file or folder under ``root`` (itself included) that a group or other account can read."""
    found = []
    for p in [root, *root.rglob("*")]:
        if p.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH):
            found.append(str(p.relative_to(root.parent)))
    return found


def test_the_register_its_copies_exports_and_the_log_are_private(tmp_path: Path, open_umask: None,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(os.environ["BSCP_DATA_DIR"])
    work = tmp_path / "work"
    db = str(work / "register.db")
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", "a fictional passphrase of length")
    commands = [
        ["demo", "--db", db, "--incidents", "20", "--seed", "1", "--as-of", "2026-11-20"],
        ["backup", "--db", db, "--out", str(work / "backups" / "copy.db")],
        ["export", "incidents", "--db", db, "--out", str(work / "exports" / "incidents.xlsx")],
        ["export", "reviews", "--db", db, "--out", str(work / "exports" / "reviews.csv")],
        ["report", "deadlines", "--db", db, "--out", str(work / "reports" / "deadlines.pdf"),
         "--as-of", "2026-11-20"],
        ["report", "annual", "--db", db, "--out", str(work / "reports" / "annual.docx"), "--as-of", "2026-11-20"],
        ["calendar", "--db", db, "--out", str(work / "deadlines.ics"), "--as-of", "2026-11-20"],
        ["template", "incidents", "--out", str(work / "template.xlsx")],
        ["encrypt", "--db", db, "--passphrase"],
        ["decrypt", "--db", db, "--out", str(work / "plain" / "plain.db")],
        ["report", "deadlines", "--db", db, "--out", str(work / "no-such-kind.txt")],  # refused: nothing written
    ]
    for argv in commands:
        assert main(argv) in (0, 2), argv
    capsys.readouterr()
    from bscp_desktop.util.log_file import log, setup_logging

    log.info("the log file is written by the program too")
    setup_logging()
    assert (work / "plain" / "plain.db").exists() and (work / "reports" / "annual.docx").exists()
    assert readable_by_others(work) == []
    assert readable_by_others(data) == []  # the pre-encryption copy, daily copies, the log folder's neighbours
    assert readable_by_others(Path(os.environ["BSCP_LOG_DIR"])) == []


def test_release_folders_are_private(tmp_path: Path, open_umask: None, svc: Any) -> None:
    """What the services write (an archive request's release folder) is private once the program has started."""
    from bscp_desktop.services.catalogue.requests import RequestInput
    from bscp_desktop.util.paths import keep_files_private

    keep_files_private()  # what cli.main does first
    review = svc.reviews.by_reference("BSCP2020-21/02")
    doc = tmp_path / "report.pdf"
    doc.write_bytes(b"%PDF fictional")
    stored = svc.documents.add(doc, "report", review_id=review.id).value
    req = svc.requests.log(RequestInput(dt.date(2026, 11, 2), "A Researcher", "researcher@example.org",
                                        (review.id,))).value
    out = tmp_path / "releases"
    svc.fulfilment.fulfil(req.id, req.version, [stored.id], out, dt.date(2026, 11, 20))
    assert readable_by_others(out) == []


@pytest.mark.sqlite_only
def test_check_warns_when_a_register_can_be_read_by_others(svc: Any, db_url: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(db_url)
    files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    for p in files:  # as a register made by this program is (the test's copy was made under the test's umask)
        p.chmod(0o600)
    assert main(["check", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "file access: private to their owner" in out, out
    path.chmod(0o644)
    assert main(["check", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert f"file access: WARNING: other accounts on this computer can read {path}" in out
