"""The audit log seals what each entry says about its record (its summary, its before and after values) by their
digest: an entry's hash covers their SHA-256 (``values_digest``) instead of them, so a lawful disposal can remove
them from the disposed record's entries (``values_removed``) and every hash still verifies.

The entries already there move to this form once, here: the old chain is verified with the old rule first, every
entry is sealed anew in id order, and an entry of its own ("audit log sealed anew") records the old chain's
entries, head and state and the new head it follows, so a head printed before the upgrade can still be checked
against the log.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import context, op

from bscp_desktop.store.audit_chain import (
    GENESIS,
    _Link,
    describe_chain,
    entry_hash,
    entry_hash_before_0013,
    values_digest,
)

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 5000


def _log() -> sa.TableClause:
    return sa.table("audit_log", sa.column("id", sa.Integer()), sa.column("at", sa.DateTime()),
                    sa.column("user", sa.String()), sa.column("action", sa.String()),
                    sa.column("entity", sa.String()), sa.column("entity_id", sa.String()),
                    sa.column("summary", sa.Text()), sa.column("before", sa.JSON()), sa.column("after", sa.JSON()),
                    sa.column("prev_hash", sa.String()), sa.column("entry_hash", sa.String()),
                    sa.column("values_digest", sa.String()), sa.column("values_removed", sa.Boolean()))


def _rows(conn: sa.Connection, log: sa.TableClause):  # type: ignore[no-untyped-def]
    last = 0
    while True:
        rows = conn.execute(sa.select(log).where(log.c.id > last).order_by(log.c.id).limit(BATCH)).mappings().all()
        if not rows:
            return
        yield from rows
        last = rows[-1]["id"]


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("values_digest", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("values_removed", sa.Boolean(), nullable=False, server_default=sa.false()))
    conn = op.get_bind()
    log = _log()
    old = describe_chain(_Link(r["id"], r["prev_hash"] or "", r["entry_hash"] or "", entry_hash_before_0013(
        r["user"], r["at"], r["action"], r["entity"], r["entity_id"], r["summary"] or "", r["before"], r["after"],
        r["prev_hash"] or "")) for r in _rows(conn, log))
    prev, updates = GENESIS, []
    for r in _rows(conn, log):
        digest = values_digest(r["summary"], r["before"], r["after"])
        sealed = entry_hash(r["user"], r["at"], r["action"], r["entity"], r["entity_id"], digest, prev)
        updates.append({"row_id": r["id"], "prev_hash": prev, "entry_hash": sealed, "values_digest": digest})
        prev = sealed
        if len(updates) == BATCH:
            conn.execute(log.update().where(log.c.id == sa.bindparam("row_id")), updates)
            updates = []
    if updates:
        conn.execute(log.update().where(log.c.id == sa.bindparam("row_id")), updates)
    if old.entries == 0:
        return  # a new register: nothing to account for
    user = context.config.attributes.get("user") or "bscp-desktop upgrade"
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if conn.dialect.name == "postgresql":  # the server's login and time, as its audit guard requires
        user, now = conn.exec_driver_sql("SELECT session_user, now()").one()
        at = now.astimezone(dt.UTC).replace(tzinfo=None)
    before = {"entries": old.entries, "head": old.head, "state": old.problem or "intact"}
    after = {"head": prev}
    summary = f"audit log sealed anew (values sealed by their digest); the old head was {old.head}"
    digest = values_digest(summary, before, after)
    conn.execute(sa.insert(log).values(
        at=at, user=user, action="audit log sealed anew", entity="database", entity_id="0013", summary=summary,
        before=before, after=after, prev_hash=prev, values_digest=digest, values_removed=False,
        entry_hash=entry_hash(user, at, "audit log sealed anew", "database", "0013", digest, prev)))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("values_removed")
        batch.drop_column("values_digest")
