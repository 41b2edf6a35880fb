"""Reading the audit log: who changed what, when, with the values before and after, newest first. Entries are
only ever added (``Manager.audit`` writes them in each change's own transaction); this module only reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from bscp_desktop.models import AuditEntry
from bscp_desktop.services.core.base import Manager
from bscp_desktop.store.audit_chain import GENESIS, ChainReport, verify_chain

LIMIT = 2000


@dataclass(frozen=True)
class AuditView:
    """One audited change."""

    id: int
    at: dt.datetime  # UTC
    user: str
    action: str
    entity: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field the change recorded, in name order."""
        before, after = self.before or {}, self.after or {}
        return [(k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after))]


@dataclass(frozen=True)
class AuditPage:
    """The newest entries matching a filter, and how many match in all."""

    entries: tuple[AuditView, ...]
    total: int


class AuditLogManager(Manager):
    """The audit log, read-only."""

    def find(self, text: str = "", user: str = "", start: dt.date | None = None, end: dt.date | None = None,
             limit: int = LIMIT) -> AuditPage:
        """Entries whose action, record or summary contains ``text`` (ignoring case), by ``user``, on days from
        ``start`` to ``end`` (UTC), newest first, at most ``limit`` of them."""
        q = select(AuditEntry)
        if text.strip():
            like = f"%{text.strip()}%"
            q = q.where(or_(AuditEntry.action.ilike(like), AuditEntry.summary.ilike(like),
                            AuditEntry.entity.ilike(like), AuditEntry.entity_id.ilike(like)))
        if user:
            q = q.where(AuditEntry.user == user)
        if start is not None:
            q = q.where(AuditEntry.at >= dt.datetime.combine(start, dt.time(), dt.UTC))
        if end is not None:
            q = q.where(AuditEntry.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC))
        with self.db.read() as s:
            total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
            rows = s.scalars(q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)).all()
            entries = tuple(AuditView(e.id, e.at, e.user, e.action, e.entity, e.entity_id, e.summary, e.before,
                                      e.after) for e in rows)
        return AuditPage(entries, total)

    def verify(self) -> ChainReport:
        """Verify the whole hash chain: intact to its head, or the first entry that breaks it and how."""
        with self.db.read() as s:
            return verify_chain(s.connection())

    def head(self) -> tuple[int, str]:
        """How many entries the log holds and its head hash, as they stand (cheap: nothing is verified): what a
        printed report carries, so a later rewrite of the log shows against the paper (``check`` verifies)."""
        with self.db.read() as s:
            entries = s.scalar(select(func.count(AuditEntry.id))) or 0
            head = s.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
        return entries, head or GENESIS

    def users(self) -> list[str]:
        """Everyone who has changed something, by name."""
        with self.db.read() as s:
            return sorted(u for u in s.scalars(select(AuditEntry.user).distinct()) if u)
