"""The statutory clocks and their RAG status (docs/ARCHITECTURE.md, "Conventions"): pure functions over dates.

Each rule has an id used everywhere (command line, settings, reports), a default amount and unit, and the
basis shown beside it. Amounts are settings; callers pass the amount in force, or get the default.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from enum import StrEnum

from bscp_desktop.domain.working_days import WorkingCalendar


class Unit(StrEnum):
    """How a rule's amount counts."""

    WORKING_DAYS = "working days"
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True)
class Rule:
    """One statutory or local clock: from what it starts, how it counts, and on what authority."""

    id: str
    label: str
    starts: str
    unit: Unit
    default: int
    basis: str
    before: bool = False  # counts back from the start date (the advance copy's last day to send)
    short: str = ""  # a short name for dense tables

    @property
    def short_label(self) -> str:
        """The short name (the label when none is set)."""
        return self.short or self.label

    @property
    def max_amount(self) -> int:
        """The largest amount a partnership may set (the smallest is 1): 60 working days, or 36 months or years."""
        return 60 if self.unit is Unit.WORKING_DAYS else 36

    def describe(self, amount: int | None = None) -> str:
        """"+5 working days", "−7 working days", "+6 months"."""
        n = self.default if amount is None else amount
        return f"{'−' if self.before else '+'}{n} {self.unit.value}"


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("notification", "Notification to the National Panel", "date the local authority became aware",
             Unit.WORKING_DAYS, 5, "Children Act 2004 s16C; Working Together 2023", short="Notification"),
        Rule("rapid-review", "Rapid Review", "date the notification was sent to the Panel",
             Unit.WORKING_DAYS, 15, "Working Together 2023"),
        Rule("agency-return", "Agency return to the Rapid Review", "date the agency was asked",
             Unit.WORKING_DAYS, 5, "partnership practice", short="Agency return"),
        Rule("lcspr-publication", "LCSPR publication", "date of the decision to undertake the LCSPR",
             Unit.MONTHS, 6, "Working Together 2023 (target)"),
        Rule("advance-copy", "Advance copy to the Panel and the Secretary of State", "planned publication date",
             Unit.WORKING_DAYS, 7, "Working Together 2023", before=True, short="Advance copy"),
        Rule("archive", "Archive (remove from the website)", "publication date",
             Unit.YEARS, 3, "BSCP policy (national guidance, July 2018)", short="Archive"),
        Rule("archive-request", "Archive request response", "date the request was received",
             Unit.WORKING_DAYS, 20, "BSCP service standard (as FOIA s10)", short="Archive request"),
    )
}

DEFAULT_AMBER_DAYS = 3


def get_rule(rule_id: str) -> Rule:
    """The rule with this id; ``KeyError`` naming the known ids otherwise."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule '{rule_id}' (known: {', '.join(RULES)})") from None


def add_months(d: dt.date, months: int) -> dt.date:
    """Same day of the month ``months`` later (or earlier), clamped to the month's end (31 Aug + 6 → 28/29 Feb).

    Equivalent to ``d + dateutil.relativedelta(months=months)`` (a test checks it) and several times faster,
    which matters when the register recomputes every clock.
    """
    y, m0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    return dt.date(y, m0 + 1, min(d.day, monthrange(y, m0 + 1)[1]))


def due_date(rule: Rule | str, start: dt.date, cal: WorkingCalendar, amount: int | None = None) -> dt.date:
    """The due date of ``rule`` for a clock started on ``start`` with ``amount`` (the rule's default if None)."""
    r = get_rule(rule) if isinstance(rule, str) else rule
    n = r.default if amount is None else amount
    if r.unit is Unit.WORKING_DAYS:
        return cal.add(start, -n if r.before else n)
    months = n if r.unit is Unit.MONTHS else 12 * n
    return add_months(start, -months if r.before else months)


class Rag(StrEnum):
    """The state of a clock as of a date. Always shown with its text, never by colour alone."""

    OVERDUE = "Overdue"
    DUE = "Due"
    ON_TRACK = "On track"
    ON_HOLD = "On hold"  # a review's publication held while parallel proceedings run: never overdue
    MET = "Met"
    MET_LATE = "Met late"


def amber_window_end(as_of: dt.date, cal: WorkingCalendar, amber_days: int = DEFAULT_AMBER_DAYS) -> dt.date:
    """Last day of the amber window: the ``amber_days``-th working day counting ``as_of`` itself if it works."""
    return cal.add(as_of - dt.timedelta(days=1), amber_days) if amber_days > 0 else as_of - dt.timedelta(days=1)


def rag(
    due: dt.date,
    met_on: dt.date | None,
    as_of: dt.date,
    cal: WorkingCalendar,
    amber_days: int = DEFAULT_AMBER_DAYS,
) -> Rag:
    """RAG of a clock due on ``due`` and met on ``met_on`` (None: not met), as of ``as_of``.

    Met on or before the due date: *met*; after it: *met late*. Not met: *overdue* when due before
    ``as_of``; *due* when due within the amber window (``amber_days`` working days, today included);
    otherwise *on track*.
    """
    if met_on is not None:
        return Rag.MET if met_on <= due else Rag.MET_LATE
    if due < as_of:
        return Rag.OVERDUE
    if due <= amber_window_end(as_of, cal, amber_days):
        return Rag.DUE
    return Rag.ON_TRACK


def working_days_left(due: dt.date, as_of: dt.date, cal: WorkingCalendar) -> int:
    """Working days from ``as_of`` to ``due``: positive while ahead, negative (days over) once overdue."""
    return cal.between(as_of, due)
