"""Registers a program may be asked to open and cannot use as they are: damaged, not a database, written by a
newer version, locked by another program, or on a read-only medium. Shared by the core and UI tests."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BAD_KINDS = ("corrupt", "not-a-database", "newer-schema", "locked")


def good_register(folder: Path) -> Path:
    """A small, valid demo register."""
    from bscp_desktop.services import Services

    path = folder / "good.db"
    if not path.exists():
        svc = Services.open(path, user="tester")
        svc.demo.build(20, 3)
        svc.close()
        with sqlite3.connect(path) as conn:  # one file: no WAL beside it
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def make_bad(kind: str, folder: Path) -> Path:
    """A register of the given bad kind (``locked`` is a plain copy: lock it with ``held_locked``)."""
    good = good_register(folder)
    path = folder / f"{kind}.db"
    if kind == "not-a-database":
        path.write_text("Minutes of the partnership meeting\n", encoding="utf-8")
        return path
    shutil.copyfile(good, path)
    if kind == "corrupt":
        size = path.stat().st_size
        with open(path, "r+b") as f:  # every page after the first few overwritten: the schema reads, tables don't
            f.seek(4096 * 2)
            f.write(b"\xa5" * (size - 4096 * 2))
    elif kind == "newer-schema":
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
    return path


@contextmanager
def held_locked(path: Path) -> Iterator[None]:
    """Another program holds the register locked (an exclusive lock, as a crashed tool can leave it)."""
    ready, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("UPDATE settings SET version = version")
        ready.set()
        release.wait(60)
        conn.execute("ROLLBACK")
        conn.close()

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    assert ready.wait(10)
    try:
        yield
    finally:
        release.set()
        t.join(10)


@contextmanager
def read_only_copy(source: Path, folder: Path) -> Iterator[Path]:
    """A copy of ``source`` that truly cannot be written: on a read-only mount when running as root (root
    writes through file permissions), else in a folder and file without write permission."""
    mount = folder / "read-only-medium"
    mount.mkdir()
    if os.geteuid() == 0:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)
        try:
            shutil.copyfile(source, mount / "register.db")
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
            yield mount / "register.db"
        finally:
            subprocess.run(["umount", "-l", str(mount)], check=False)
    else:
        shutil.copyfile(source, mount / "register.db")
        (mount / "register.db").chmod(0o444)
        mount.chmod(0o555)
        try:
            yield mount / "register.db"
        finally:
            mount.chmod(0o755)
