"""Who may do what in a register, and what the retention schedule has done to it: the register's users (a SQLite
register; a server's users are its logins and their role memberships), legal holds and the disposal log."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from bscp_desktop.schema.base import UTCDateTime, metadata, utcnow

register_users = Table(
    "register_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("added_by", String(100), nullable=False, default=""),
    Column("added_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("version", Integer, nullable=False, default=1),
)

legal_holds = Table(
    "legal_holds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=False),
    Column("reason", String(20), nullable=False),
    Column("details", Text, nullable=False, default=""),
    Column("placed_by", String(100), nullable=False),
    Column("placed_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("lifted_by", String(100), nullable=False, default=""),
    Column("lifted_at", UTCDateTime(), nullable=True),
    Column("lift_reason", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_legal_holds_entity", "entity", "entity_id"),
)

disposal_log = Table(
    "disposal_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_class", String(20), nullable=False),
    Column("entity_id", Integer, nullable=False),
    Column("reference", String(60), nullable=False),
    Column("rule", String(200), nullable=False),
    Column("approved_by", String(100), nullable=False),
    Column("disposed_at", UTCDateTime(), nullable=False, default=utcnow),
    Index("ix_disposal_log_record", "record_class", "entity_id", unique=True),
)
