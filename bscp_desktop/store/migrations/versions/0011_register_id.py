"""Each register gets an id of its own (a random UUID in the settings row ``register.id``), so the copies the
program makes of it (daily and before each upgrade) are kept in a folder named by it and can never be taken for
another register's, even one with the same file name. ``store.migrate.upgrade`` chooses the id before its copy
of the register is made, so that copy is already filed under it; a new register gets one here.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import context, op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

REGISTER_ID = "register.id"


def upgrade() -> None:
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text),
                        sa.column("version", sa.Integer))
    bind = op.get_bind()
    if bind.execute(sa.select(settings.c.value).where(settings.c.key == REGISTER_ID)).first() is None:
        chosen = context.config.attributes.get("register_id") or uuid.uuid4().hex
        op.execute(settings.insert().values(key=REGISTER_ID, value=chosen, version=1))


def downgrade() -> None:
    op.execute("DELETE FROM settings WHERE key = 'register.id'")
