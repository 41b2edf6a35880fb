"""Long writes in progress: an import holding the register's write lock says so here, in a row committed before
it starts and removed when it ends, so a colleague whose save has to wait can be told who is doing what."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from bscp_desktop.schema.base import UTCDateTime, metadata, utcnow

long_writes = Table(
    "long_writes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user", String(100), nullable=False),
    Column("what", String(200), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False, default=utcnow),
)
