"""The audit log: every write adds entries saying who (the OS login), when, what, before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Mapped

from bscp_desktop.models.base import Base
from bscp_desktop.schema import audit_log


class AuditEntry(Base):
    """One audited change. Entries are only ever added, each chained to the one before by its hash."""

    __table__ = audit_log
    id: Mapped[int]
    at: Mapped[dt.datetime]
    user: Mapped[str]
    action: Mapped[str]
    entity: Mapped[str]
    entity_id: Mapped[str]
    summary: Mapped[str]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    # The chain (services/audit_chain.py): the previous entry's hash, and this entry's SHA-256 over its content
    # and that hash.
    prev_hash: Mapped[str]
    entry_hash: Mapped[str]
    # The SHA-256 of ``before`` and ``after`` that the hash covers in their place; ``values_removed``: a disposal
    # removed them (the digest stays, so the chain still verifies).
    values_digest: Mapped[str]
    values_removed: Mapped[bool]
