"""The audit log becomes a hash chain: each entry gets the previous entry's hash and its own SHA-256, and the
entries already there are sealed into the chain in id order.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bscp_desktop.store.audit_chain import GENESIS
from bscp_desktop.store.audit_chain import entry_hash_before_0013 as entry_hash

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=False, server_default=""))
    conn = op.get_bind()
    log = sa.table("audit_log", sa.column("id", sa.Integer()), sa.column("at", sa.DateTime()),
                   sa.column("user", sa.String()), sa.column("action", sa.String()), sa.column("entity", sa.String()),
                   sa.column("entity_id", sa.String()), sa.column("summary", sa.Text()), sa.column("before", sa.JSON()),
                   sa.column("after", sa.JSON()), sa.column("prev_hash", sa.String()),
                   sa.column("entry_hash", sa.String()))
    prev, last = GENESIS, 0
    while True:
        rows = conn.execute(sa.select(log).where(log.c.id > last).order_by(log.c.id).limit(5000)).mappings().all()
        if not rows:
            break
        updates = []
        for r in rows:
            sealed = entry_hash(r["user"], r["at"], r["action"], r["entity"], r["entity_id"], r["summary"] or "",
                                r["before"], r["after"], prev)
            updates.append({"row_id": r["id"], "prev_hash": prev, "entry_hash": sealed})
            prev = sealed
        conn.execute(log.update().where(log.c.id == sa.bindparam("row_id")), updates)
        last = rows[-1]["id"]


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("entry_hash")
        batch.drop_column("prev_hash")
