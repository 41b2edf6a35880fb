"""Reading the audit log: who changed what, when, with the values before and after, newest first. Entries are
only ever added (``Manager.audit`` writes them in each change's own transaction); this module only reads.

Each entry is also given in words, as the user knows things: the record by its reference ("incident
SI2026-27/004", "archive request AR2026-27/004"), each field by its label, dates the UK way, lists as text and
coded values by their labels (``AuditView.record``, ``AuditView.changes_in_words``); the values as recorded stay
on the entry (``before``, ``after``) for whoever needs them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, or_, select

from bscp_desktop.domain.vocab import (
    CATEGORIES,
    DECISIONS,
    HARMS,
    REQUEST_STATUSES,
    REVIEW_KINDS,
    REVIEW_STATUSES,
    NotificationReason,
    PanelReply,
)
from bscp_desktop.schema import archive_requests, audit_log, incidents, reviews
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
    record: str = ""  # the record as the user knows it: "incident SI2026-27/004"

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field the change recorded, in name order."""
        before, after = self.before or {}, self.after or {}
        return [(k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after))]

    def changes_in_words(self) -> list[tuple[str, str, str]]:
        """(field's label, before, after) in words, in the order of the labels."""
        return sorted((field_label(k), in_words(k, b), in_words(k, a)) for k, b, a in self.changes())


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
        e = audit_log.c
        q = select(audit_log)
        if text.strip():
            like = f"%{text.strip()}%"
            q = q.where(or_(e.action.ilike(like), e.summary.ilike(like), e.entity.ilike(like), e.entity_id.ilike(like)))
        if user:
            q = q.where(e.user == user)
        if start is not None:
            q = q.where(e.at >= dt.datetime.combine(start, dt.time(), dt.UTC))
        if end is not None:
            q = q.where(e.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC))
        with self.db.reading() as conn:
            total = conn.scalar(select(func.count()).select_from(q.subquery())) or 0
            rows = conn.execute(q.order_by(e.at.desc(), e.id.desc()).limit(limit)).all()
            names = _record_names(conn, [(r.entity, r.entity_id) for r in rows])
            entries = tuple(AuditView(r.id, r.at, r.user, r.action, r.entity, r.entity_id, r.summary, r.before,
                                      r.after, names.get((r.entity, r.entity_id), "")
                                      or f"{ENTITY_NAMES.get(r.entity, r.entity.replace('_', ' '))} {r.entity_id}")
                            for r in rows)
        return AuditPage(entries, total)

    def verify(self) -> ChainReport:
        """Verify the whole hash chain: intact to its head, or the first entry that breaks it and how."""
        with self.db.reading() as conn:
            return verify_chain(conn)

    def head(self) -> tuple[int, str]:
        """How many entries the log holds and its head hash, as they stand (cheap: nothing is verified): what a
        printed report carries, so a later rewrite of the log shows against the paper (``check`` verifies)."""
        with self.db.reading() as conn:
            entries = conn.scalar(select(func.count(audit_log.c.id))) or 0
            head = conn.scalar(select(audit_log.c.entry_hash).order_by(audit_log.c.id.desc()).limit(1))
        return entries, head or GENESIS

    def is_demo(self) -> bool:
        """True when demo data was ever generated in this register (the log keeps it for good): its cases are
        fictional, and the window says so, so nobody records a real case there."""
        with self.db.reading() as conn:
            return conn.scalar(select(audit_log.c.id).where(audit_log.c.action == "generate demo data").limit(1)) \
                is not None

    def users(self) -> list[str]:
        """Everyone who has changed something, by name."""
        with self.db.reading() as conn:
            return sorted(u for u in conn.scalars(select(audit_log.c.user).distinct()) if u)


# The records as the window names them (an entity not listed: its name with spaces).
ENTITY_NAMES = {"request": "archive request", "reference": "reference list", "database": "register",
                "annual_figures": "annual figures", "closure_day": "closure day", "legal_hold": "legal hold"}
# The records named by their references, and the column that holds each.
_REFERENCES = {"incident": (incidents.c.id, incidents.c.local_ref), "review": (reviews.c.id, reviews.c.case_reference),
               "request": (archive_requests.c.id, archive_requests.c.reference)}
# Fields whose label is not their name in words.
FIELD_LABELS = {
    "notified_date": "Notified to the Panel", "sent_date": "Sent to the Panel", "meeting_date": "Rapid Review meeting",
    "planned_publication_date": "Planned publication", "national_repository_url": "National repository link",
    "rapid_review_chosen": "Rapid Review held anyway", "abuse_suspected": "Abuse or neglect suspected",
    "categories": "Categories of abuse", "case_reference": "Case reference", "age_band": "Age band",
    "panel_view": "Panel's view", "panel_reply": "Panel's reply", "panel_response_date": "Panel response",
    "sent_without_sign_off": "Sent without the partners' sign-off", "website_removed_date": "Removed from website",
}
# Coded values and the labels they are shown by, per field.
_CODES: dict[str, dict[str, str]] = {
    "categories": CATEGORIES, "harm": HARMS, "decision": DECISIONS, "kind": REVIEW_KINDS,
    "notification_reason": {r.value: r.label for r in NotificationReason},
    "panel_reply": {r.value: r.label for r in PanelReply},
    "status": {**REVIEW_STATUSES, **REQUEST_STATUSES},
}


def _record_names(s: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The references of the incidents, reviews and archive requests among ``keys`` (entity, id), as
    "incident SI2026-27/004", read in one query per kind; a record since disposed of keeps its number."""
    out: dict[tuple[str, str], str] = {}
    for entity, (id_column, ref_column) in _REFERENCES.items():
        ids = {int(i) for e, i in keys if e == entity and i.isdigit()}
        if not ids:
            continue
        for rid, ref in s.execute(select(id_column, ref_column).where(id_column.in_(ids))):
            if ref:
                out[(entity, str(rid))] = f"{ENTITY_NAMES.get(entity, entity)} {ref}"
    out |= {(e, key): f"setting {field_label(key)}" for e, key in keys if e == "setting"}
    return out


def field_label(name: str) -> str:
    """A recorded field's label: "Became aware" for ``became_aware``; a later child's fields keep their place
    ("Child 2 pseudonym")."""
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def in_words(field: str, value: Any) -> str:
    """A recorded value as the window shows it: "—" for nothing, Yes or No, dates as ``20/11/2026`` (and times
    ``20/11/2026 14:05``), a coded value by its label, a list as text."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(in_words(field, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {in_words(k, v)}" for k, v in value.items())
    if isinstance(value, str):
        if value in _CODES.get(field, {}):
            return _CODES[field][value]
        return _date_in_words(value) or value
    return str(value)


def _date_in_words(text: str) -> str:
    """An ISO date or date-time string in UK form, or "" when ``text`` is not one."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
        except ValueError:
            return ""
    if len(text) >= 16 and text[4] == "-" and text[10] in "T ":
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return ""
        local = moment.astimezone() if moment.tzinfo else moment
        return local.strftime("%d/%m/%Y %H:%M")
    return ""
