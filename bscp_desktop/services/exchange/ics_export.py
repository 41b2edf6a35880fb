"""The open statutory clocks and agency actions as an iCalendar file (RFC 5545, the ``icalendar`` library), so
staff can see every deadline in Outlook or any calendar beside their meetings.

Each deadline is an all-day event on its due date with a reminder at 9 am on the day it turns amber on every
screen (the first day of the amber window). Its UID is fixed by the case and the rule (or the action), so
importing a newer export updates the same events instead of adding copies. Events carry ``CLASS:PRIVATE`` and
``TRANSP:TRANSPARENT`` (a deadline does not make anyone busy) and name children only by pseudonym.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from bscp_desktop import APP_NAME
from bscp_desktop.domain.clock_words import clock_text
from bscp_desktop.domain.rules import RULES, Rag
from bscp_desktop.domain.working_days import OutOfRange, WorkingCalendar
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.partnership.clocks import ClockView
from bscp_desktop.services.partnership.settings import PartnershipSettings
from bscp_desktop.services.reviews.actions import ActionFilter, ActionView
from bscp_desktop.util.dates import uk
from bscp_desktop.util.whole_files import write_file_whole

REMINDER_HOUR = 9


@dataclass(frozen=True)
class CalendarExport:
    """What an export wrote."""

    path: Path
    clocks: int
    actions: int

    @property
    def events(self) -> int:
        """Events in the file."""
        return self.clocks + self.actions


def amber_start(due: dt.date, cal: WorkingCalendar, amber_days: int) -> dt.date:
    """The first day a clock due on ``due`` shows as *due* (amber): the window counts today as its first day."""
    if amber_days <= 1:
        return due
    try:
        return cal.add(due, -(amber_days - 1))
    except OutOfRange:
        return due


class IcsExportManager(Manager):
    """Builds and writes the deadlines calendar."""

    def build(self, as_of: dt.date | None = None) -> tuple[Calendar, int, int]:
        """The calendar as of a date, with how many clock and action events it holds."""
        as_of = as_of or self.today()
        settings = self.svc.cached_settings()
        cal = self.svc.calendar()
        feed = Calendar()
        feed.add("prodid", f"-//{settings.partnership_name}//{APP_NAME}//EN")
        feed.add("version", "2.0")
        feed.add("method", "PUBLISH")
        feed.add("x-wr-calname", f"{settings.partnership_name}: statutory deadlines")
        new_event = _EventMaker(f"{settings.review_prefix.lower()}.{APP_NAME}", dt.datetime.now(dt.UTC),
                                lambda due: amber_start(due, cal, settings.amber_days))
        clocks = self.svc.clocks.all_clocks(as_of)
        for c in clocks:
            feed.add_component(new_event(*_clock_text(c, as_of, settings)))
        actions = [a for a in self.svc.actions.find(ActionFilter(status="open")) if a.due_date is not None]
        for a in actions:
            feed.add_component(new_event(*_action_text(a)))
        return feed, len(clocks), len(actions)

    def write(self, path: Path, as_of: dt.date | None = None) -> CalendarExport:
        """Write the calendar to ``path`` (whole or not at all)."""
        feed, n_clocks, n_actions = self.build(as_of)
        path = Path(path)
        write_file_whole(path, lambda part: part.write_bytes(feed.to_ical()))
        return CalendarExport(path, n_clocks, n_actions)


EventText = tuple[str, dt.date, str, str, list[str]]  # key, due date, summary, description, categories


def _clock_text(c: ClockView, as_of: dt.date, settings: PartnershipSettings) -> EventText:
    rule = RULES[c.rule_id]
    who = f" ({c.pseudonym})" if c.pseudonym else ""
    agency = f": {c.note}" if c.rule_id == "agency-return" else ""
    summary = f"{rule.short_label}{agency} {'last day to send' if rule.before else 'due'}: {c.reference}{who}"
    description = (f"{rule.label}: {rule.describe(settings.amount(c.rule_id))} from the {rule.starts} "
                   f"({uk(c.start)}). Basis: {rule.basis}.\n"
                   + f"As of {uk(as_of)}: {clock_text(c.rag, c.days, c.note if c.rag is Rag.ON_HOLD else '')}"
                   + ("; the date moves on by the days held." if c.rag is Rag.ON_HOLD else "."))
    return c.key, c.due, summary, description, ["Statutory clock", rule.short_label]


def _action_text(a: ActionView) -> EventText:
    assert a.due_date is not None
    agency = f", {a.agency}" if a.agency else ""
    summary = f"Agency action due: {a.review_reference} R{a.recommendation_number}{agency}"
    description = (f"{a.description}\nOwner: {a.owner or 'not set'}. Status: {a.status_label}.\n"
                   f"Recommendation {a.recommendation_number}: {a.recommendation_text}")
    return f"action-{a.id}", a.due_date, summary, description, ["Agency action"]


class _EventMaker:
    """Makes the events of one export: one UID domain, one time stamp, one reminder rule."""

    def __init__(self, uid_domain: str, stamp: dt.datetime, remind_on: Callable[[dt.date], dt.date]) -> None:
        self.uid_domain, self.stamp, self.remind_on = uid_domain, stamp, remind_on

    def __call__(self, key: str, due: dt.date, summary: str, description: str, categories: list[str]) -> Event:
        event = Event()
        event.add("uid", f"{key}@{self.uid_domain}")
        event.add("dtstamp", self.stamp)
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("categories", categories)
        event.add("class", "PRIVATE")
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        reminder = dt.datetime.combine(self.remind_on(due), dt.time(REMINDER_HOUR))
        alarm.add("trigger", reminder - dt.datetime.combine(due, dt.time()))  # before the event: negative
        event.add_component(alarm)
        return event
