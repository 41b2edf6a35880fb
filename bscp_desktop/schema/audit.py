"""The audit log: every write adds entries saying who (the OS login), when, what, before and after, each chained
to the one before by its hash (``store.audit_chain``)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Integer, String, Table, Text

from bscp_desktop.schema.base import UTCDateTime, metadata, utcnow

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False, default=utcnow, index=True),
    Column("user", String(100), nullable=False),
    Column("action", String(60), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(60), nullable=False, index=True),
    Column("summary", Text, nullable=False, default=""),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("prev_hash", String(64), nullable=False, default=""),
    Column("entry_hash", String(64), nullable=False, default=""),
    Column("values_digest", String(64), nullable=False, default=""),
    Column("values_removed", Boolean, nullable=False, default=False),
)
