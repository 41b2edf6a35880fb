"""Engines and sessions, pragmas, migrations (Alembic, bundled in the package), keys and encryption, copies,
backups and checks. Import its modules by name (``bscp_desktop.store.engine``): this package's own import loads
nothing, so a module that needs only the store's keys or errors does not bring in SQLAlchemy."""
