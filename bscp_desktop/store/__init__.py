"""Engines and sessions, pragmas, migrations (Alembic, bundled in the package), backups and checks."""

from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.migrate import DatabaseTooNew, MigrationFailed, upgrade

__all__ = ["Database", "DatabaseTooNew", "MigrationFailed", "resolve_url", "upgrade"]
