"""What every manager shares: the database, who the user is, what day it is, the audit log and version checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from bscp_desktop.schema import audit_log, counters, long_writes, utcnow
from bscp_desktop.services.core.errors import Checker, ConflictError, NotFound
from bscp_desktop.store.audit_chain import seal_rows
from bscp_desktop.store.engine import Database, insert_ignoring_conflict
from bscp_desktop.util.dates import EARLIEST
from bscp_desktop.util.log_file import log
from bscp_desktop.util.text import abbreviated

MAX_ID = 2**31 - 1  # the largest id a row can have (PostgreSQL's integer): a larger one is not found
AUDIT_BATCH = 2_000  # audit entries written per multi-row insert
LONG_WRITE_FORGOTTEN = dt.timedelta(hours=2)  # a long write announced longer ago than this was left by a crash


def long_writes_note(db: Database) -> str:
    """The long writes in progress, in words ("sam is importing 100,000 incidents from register.csv (since
    14:03)"), or "" when there are none: what a colleague whose save met the write lock is told."""
    since = utcnow() - LONG_WRITE_FORGOTTEN
    with db.reading() as conn:
        rows = conn.execute(select(long_writes.c.user, long_writes.c.what, long_writes.c.started_at)
                            .where(long_writes.c.started_at >= since).order_by(long_writes.c.started_at)).all()
    return "; ".join(f"{user} is {what} (since {at.astimezone():%H:%M})" for user, what, at in rows)


if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bscp_desktop.services.facade import Services


def os_login() -> str:
    """The operating-system login of the person using the program: the account the process runs as (never an
    environment variable a user could set; see ``os_identity``)."""
    from bscp_desktop.util import os_identity

    try:
        return os_identity.current_login()
    except OSError:  # no login name is not worth failing a save for: nobody is an administrator as "unknown"
        return "unknown"


def plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text), for audit before/after."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The named attributes of ``obj`` as plain values."""
    return {f: plain(getattr(obj, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


class Manager:
    """Base of the per-area managers of the ``Services`` facade."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @property
    def db(self) -> Database:
        """The database."""
        return self.svc.db

    def today(self) -> dt.date:
        """Today, as the services see it (tests fix it)."""
        return self.svc.today()

    def audit(
        self,
        s: Session,
        action: str,
        entity: str,
        entity_id: int | str,
        summary: str = "",
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Add an audit entry in the current transaction."""
        from bscp_desktop.models import AuditEntry  # a write: the ORM is loaded

        s.add(AuditEntry(user=self.svc.user, action=action, entity=entity, entity_id=str(entity_id),
                         summary=summary, before=before, after=after))

    @contextmanager
    def long_write(self, what: str) -> Iterator[None]:
        """Announce a long change (``what``: "importing 100,000 incidents from register.csv") for as long as the
        block runs, in a row committed before it and removed after it, so a colleague whose save meets the write
        lock is told who is doing what (``long_writes_note``)."""
        from bscp_desktop.models import LongWrite

        with self.db.write() as s:
            row = LongWrite(user=self.svc.user, what=abbreviated(what, 200))
            s.add(row)
            s.flush()
            row_id = row.id
        try:
            yield
        finally:
            try:
                with self.db.write() as s:
                    s.execute(delete(long_writes).where(long_writes.c.id == row_id))
            except Exception:  # noqa: BLE001 - a row left behind is ignored once old; the change itself stands
                log.exception("Could not remove the note of a finished long write")

    def audit_many(self, s: Session, entries: Sequence[tuple[str, str, int | str, str]]) -> None:
        """Add many audit entries (action, entity, entity id, summary) in the current transaction, in multi-row
        inserts: what a bulk change (an import) writes instead of one ``audit`` call per row."""
        at = utcnow()
        rows = [{"user": self.svc.user, "action": action, "entity": entity, "entity_id": str(entity_id),
                 "summary": summary, "at": at, "before": None, "after": None}
                for action, entity, entity_id, summary in entries]
        s.flush()  # entries the session holds join the chain first
        seal_rows(s.connection(), rows)
        for start in range(0, len(rows), AUDIT_BATCH):
            s.connection().execute(insert(audit_log), rows[start:start + AUDIT_BATCH])

    def not_future(self, c: Checker, field: str, d: dt.date) -> None:
        """Record that ``field`` cannot be after today, nor before ``EARLIEST`` (1 January 1990)."""
        c.require(d <= self.today(), field, f"cannot be in the future (today is {self.today():%d/%m/%Y})")
        c.require(d >= EARLIEST, field, f"cannot be before {EARLIEST:%d/%m/%Y}: check the year")

    def required_date(self, c: Checker, field: str, d: dt.date | None, not_before: dt.date | None = None,
                      what: str = "") -> bool:
        """Check a date the action needs: present, not before ``not_before`` (``what`` names it), not in the
        future. True when it is present."""
        if not c.require(d is not None, field, "is required"):
            return False
        assert d is not None
        if not_before is not None:
            c.require(d >= not_before, field, f"cannot be before {what} ({not_before:%d/%m/%Y})")
        self.not_future(c, field, d)
        return True

    @staticmethod
    def load[M](s: Session, model: type[M], entity: str, entity_id: int, version: int | None = None) -> M:
        """The row with this id, checked against the version the user loaded (None: no check).

        With a version (a change is about to be made), the row is locked until the transaction ends (``FOR
        UPDATE`` on PostgreSQL; SQLite's write transaction holds the whole file already): two colleagues saving
        the same case at the same instant are told apart here, the second one refused with ``ConflictError``,
        instead of both passing the check and the second failing as its UPDATE finds the old version gone."""
        if not 0 < entity_id <= MAX_ID:
            raise NotFound(entity, entity_id)
        obj = s.get(model, entity_id, with_for_update=version is not None)
        if obj is None:
            raise NotFound(entity, entity_id)
        if version is not None and obj.version != version:  # type: ignore[attr-defined]
            raise ConflictError(entity, entity_id)
        return obj

    @staticmethod
    def raise_counter(s: Session, name: str, at_least: int) -> None:
        """Make sure counter ``name`` is at least ``at_least`` (numbers already taken by rows written directly:
        the demo, an import), so ``next_number`` carries on after them."""
        from bscp_desktop.models import Counter

        row = s.get(Counter, name)
        if row is None:
            s.add(Counter(name=name, value=at_least))
        else:
            row.value = max(row.value, at_least)

    @classmethod
    def take_numbers(cls, s: Session, name: str, count: int, floor: Callable[[], int] | None = None) -> int:
        """Take ``count`` numbers of counter ``name`` at once; returns the last (the block ends there)."""
        last = cls.next_number(s, name, floor)
        if count > 1:
            bump = update(counters).where(counters.c.name == name).values(value=counters.c.value + (count - 1))
            s.execute(bump.returning(counters.c.value))
            last += count - 1
        return last

    @staticmethod
    def next_number(s: Session, name: str, floor: Callable[[], int] | None = None) -> int:
        """Increment and return the counter ``name`` inside this transaction (gap-free: a rolled-back
        transaction gives its number back). ``floor`` gives the highest number already in use, for a counter
        met for the first time."""
        bump = (update(counters).where(counters.c.name == name).values(value=counters.c.value + 1)
                .returning(counters.c.value))
        value = s.execute(bump).scalar()
        if value is None:  # first use: create it; a concurrent creator wins quietly and we bump theirs
            s.execute(insert_ignoring_conflict(s, counters, {"name": name, "value": floor() if floor else 0}))
            value = s.execute(bump).scalar_one()
        return int(value)


