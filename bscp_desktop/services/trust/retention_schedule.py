"""The retention schedule and what the Retention page shows of it: the classes of record it covers and why, what
is always kept, the records due for disposal review, legal holds and the disposal log as views. The manager that
applies it is ``retention`` (it loads the ORM; this module does not, so the window can show its page first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bscp_desktop.domain.vocab import HOLD_REASONS, HoldReason, RecordClass
from bscp_desktop.services.core.errors import ServiceError

if TYPE_CHECKING:
    from bscp_desktop.models import LegalHold

DISPOSED = "Disposed"  # what a disposed record's name or pseudonym reads afterwards

# What a hold can be placed on: entity → what it is called.
HOLDABLE = {"incident": "incident", "request": "archive request", "review": "review"}


@dataclass(frozen=True)
class RetentionRule:
    """One class of record the schedule covers: what starts its clock and why the default is what it is."""

    record_class: RecordClass
    after: str  # "closure", "the answer": what the years count from
    basis: str


RETENTION_RULES: dict[RecordClass, RetentionRule] = {
    RecordClass.INCIDENT: RetentionRule(
        RecordClass.INCIDENT, "closure",
        "A notification or Rapid Review that led to no local review. Suggested: 10 years after closure, in line "
        "with many councils' schedules for safeguarding case records that are not the child's own file."),
    RecordClass.REQUEST: RetentionRule(
        RecordClass.REQUEST, "the answer",
        "A request for an archived publication, the requester's details and the disclosure log entries. "
        "Suggested: 3 years after the answer, as for routine correspondence."),
}
KEPT = ("Reviews (LCSPRs and others) and their Rapid Reviews", "Published documents and briefing notes",
        "The audit log and the disposal log")
NO_STATUTE = ("There is no statutory retention period for review records: the partnership's records manager sets "
              "these periods, and changes here are audited.")


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` ``years`` later (29 February becomes 28 February in a year that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class OnLegalHold(ServiceError):
    """The record is under a legal hold: it cannot be disposed of until the hold is lifted."""

    def __init__(self, reference: str, hold: LegalHold) -> None:
        self.reference = reference
        super().__init__(f"{reference} is under a legal hold ({HOLD_REASONS.get(hold.reason, hold.reason).lower()}"
                         f", placed by {hold.placed_by} on {hold.placed_at.astimezone():%d/%m/%Y}): it cannot be "
                         "disposed of until the hold is lifted.")


@dataclass(frozen=True)
class DueRecord:
    """A record due for disposal review: its class, id, reference, when its retention started and ended, and
    the hold on it if there is one (then it is listed but cannot be disposed of)."""

    record_class: RecordClass
    entity_id: int
    reference: str
    since: dt.date
    due: dt.date
    rule: str
    hold: str = ""

    @property
    def held(self) -> bool:
        """True when a legal hold blocks disposal."""
        return bool(self.hold)


@dataclass(frozen=True)
class LegalHoldView:
    """A legal hold and, once lifted, who lifted it."""

    id: int
    version: int
    entity: str
    entity_id: int
    reference: str
    reason: HoldReason
    details: str
    placed_by: str
    placed_at: dt.datetime
    lifted_by: str
    lifted_at: dt.datetime | None
    lift_reason: str

    @property
    def active(self) -> bool:
        """True while the hold blocks disposal."""
        return self.lifted_at is None


@dataclass(frozen=True)
class DisposalView:
    """One line of the disposal log."""

    id: int
    record_class: RecordClass
    entity_id: int
    reference: str
    rule: str
    approved_by: str
    disposed_at: dt.datetime
