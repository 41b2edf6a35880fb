"""The audit log: every write adds entries saying who (the OS login), when, what, before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bscp_desktop.models.base import Base, utcnow


class AuditEntry(Base):
    """One audited change. Entries are only ever added, each chained to the one before by its hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(60), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The chain (services/audit_chain.py): the previous entry's hash, and this entry's SHA-256 over its content
    # and that hash.
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")
    # The SHA-256 of ``before`` and ``after`` that the hash covers in their place; ``values_removed``: a disposal
    # removed them (the digest stays, so the chain still verifies).
    values_digest: Mapped[str] = mapped_column(String(64), default="")
    values_removed: Mapped[bool] = mapped_column(default=False)
