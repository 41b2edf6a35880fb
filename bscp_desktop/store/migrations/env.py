"""Alembic environment: runs on the connection that ``bscp_desktop.store.migrate`` passes in (or on the
configured URL when Alembic's own command line is used by a developer), in batch mode so SQLite can alter
tables."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from bscp_desktop.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run the migrations in one transaction."""
    connection = config.attributes.get("connection")
    if connection is None:  # developer use: `alembic -c bscp_desktop/store/alembic.ini revision --autogenerate`
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///dev.db")
        with engine.connect() as connection:
            _migrate(connection)
        return
    _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
