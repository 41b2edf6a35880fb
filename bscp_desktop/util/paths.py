"""Where the program keeps its files: the user data folder (default database, backups) and the log folder; and
that every file it writes is private to the user (``keep_files_private``)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

from bscp_desktop.util.machine_config import Resolved, resolve

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
    """The data folder: the user's own, or where this PC's settings file or ``BSCP_DATA_DIR`` puts it
    (``machine_config`` has the order); created."""
    p = Path(data_dir_setting().value).expanduser()
    p.mkdir(parents=True, exist_ok=True)
    return p


def data_dir_setting() -> Resolved:
    """The data folder and where that came from (Settings › Where data lives)."""
    return resolve("folders.data", user_data_path(APP, False), env_var="BSCP_DATA_DIR")


def log_dir() -> Path:
    """The user log folder (``BSCP_LOG_DIR`` overrides it); created."""
    p = Path(os.environ["BSCP_LOG_DIR"]) if os.environ.get("BSCP_LOG_DIR") else user_log_path(APP, False)
    p.mkdir(parents=True, exist_ok=True)
    return p


def default_database() -> Path:
    """The database opened when no ``--db`` is given."""
    return data_dir() / "bscp.db"


def backup_dir() -> Path:
    """Where backups go (the daily copies, and those before each upgrade): the data folder's ``backups``, or
    where this PC's settings file or ``BSCP_BACKUP_DIR`` puts them; created."""
    p = Path(backup_dir_setting().value).expanduser()
    p.mkdir(parents=True, exist_ok=True)
    return p


def backup_dir_setting() -> Resolved:
    """The backups folder and where that came from."""
    return resolve("folders.backups", data_dir() / "backups", env_var="BSCP_BACKUP_DIR")
