"""Where the program keeps its files: the user data folder (default database, backups) and the log folder; and
that every file it writes is private to the user (``keep_files_private``)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP = "bscp-desktop"


PRIVATE_UMASK = 0o077


def keep_files_private() -> None:
    """Make every file and folder this process creates from now on readable by its user alone (0600 / 0700 on
    POSIX): the register and its WAL, daily and pre-upgrade copies, backups, plain copies, exports, reports,
    release and notice folders, the log. Called first thing by the program (``cli.main``). On Windows files take
    the folder's inherited ACL, which in the user's profile is the user's own."""
    os.umask(PRIVATE_UMASK)


def readable_by_others(path: Path) -> bool:
    """True when a file or folder on POSIX can be read by accounts other than its owner's (group or others)."""
    if os.name != "posix":
        return False
    try:
        return bool(path.stat().st_mode & 0o044)
    except OSError:
        return False


def data_dir() -> Path:
    """The user data folder (``BSCP_DATA_DIR`` overrides it, for tests and portable installs); created."""
    p = Path(os.environ["BSCP_DATA_DIR"]) if os.environ.get("BSCP_DATA_DIR") else user_data_path(APP, False)
    p.mkdir(parents=True, exist_ok=True)
    return p


def log_dir() -> Path:
    """The user log folder (``BSCP_LOG_DIR`` overrides it); created."""
    p = Path(os.environ["BSCP_LOG_DIR"]) if os.environ.get("BSCP_LOG_DIR") else user_log_path(APP, False)
    p.mkdir(parents=True, exist_ok=True)
    return p


def default_database() -> Path:
    """The database opened when no ``--db`` is given."""
    return data_dir() / "bscp.db"


def backup_dir() -> Path:
    """Where automatic backups (before each migration) go; created."""
    p = data_dir() / "backups"
    p.mkdir(parents=True, exist_ok=True)
    return p
