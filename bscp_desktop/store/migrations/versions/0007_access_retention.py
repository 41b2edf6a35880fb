"""Roles and retention: the register's users and their roles, legal holds and the disposal log. The users an
existing register already has are read from its audit log: whoever made its first entry becomes its
administrator, every other login in the log an editor (so nobody who worked in it yesterday loses that today).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bscp_desktop.models.base import UTCDateTime, utcnow

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    users = op.create_table(
        "register_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_users")),
        sa.UniqueConstraint("login", name=op.f("uq_register_users_login")),
    )
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(length=100), nullable=False),
        sa.Column("placed_at", UTCDateTime(), nullable=False),
        sa.Column("lifted_by", sa.String(length=100), nullable=False),
        sa.Column("lifted_at", UTCDateTime(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index("ix_legal_holds_entity", "legal_holds", ["entity", "entity_id"])
    op.create_table(
        "disposal_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_class", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("disposed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposal_log")),
    )
    op.create_index("ix_disposal_log_record", "disposal_log", ["record_class", "entity_id"], unique=True)

    conn = op.get_bind()
    if conn.dialect.name != "sqlite":  # a server's roles are its logins' role memberships (server-setup)
        return
    log = sa.table("audit_log", sa.column("id", sa.Integer()), sa.column("user", sa.String()))
    first = sa.func.min(log.c.id).label("first")
    known = conn.execute(sa.select(log.c.user, first).group_by(log.c.user).order_by(first)).all()
    rows = [{"login": login, "role": "admin" if n == 0 else "editor", "added_by": "(upgrade)", "added_at": utcnow(),
             "version": 1} for n, (login, _first) in enumerate(known) if login]
    if rows:
        op.bulk_insert(users, rows)


def downgrade() -> None:
    op.drop_index("ix_disposal_log_record", table_name="disposal_log")
    op.drop_table("disposal_log")
    op.drop_index("ix_legal_holds_entity", table_name="legal_holds")
    op.drop_table("legal_holds")
    op.drop_table("register_users")
