"""Where the program keeps its files: the user data folder (default database, backups) and the log folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP = "bscp-desktop"


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
