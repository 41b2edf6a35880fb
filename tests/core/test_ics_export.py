"""The deadlines calendar (.ics): read back with icalendar and checked against the clocks and actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from bscp_desktop.cli import main
from bscp_desktop.domain.working_days import WorkingCalendar
from bscp_desktop.services.exchange.ics_export import amber_start
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.reviews.actions import ActionFilter

D = dt.date
AS_OF = D(2026, 11, 20)


def events(path: Path) -> dict[str, Any]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_every_open_clock_and_action_is_an_event(svc: Any, tmp_path: Path) -> None:
    svc.demo.build(120, 3, AS_OF)
    done = svc.ics_export.write(tmp_path / "d.ics", AS_OF)
    got = events(done.path)
    clocks = svc.clocks.all_clocks(AS_OF)
    actions = [a for a in svc.actions.find(ActionFilter(status="open")) if a.due_date]
    assert clocks and actions
    assert (done.clocks, done.actions) == (len(clocks), len(actions)) and len(got) == done.events
    for c in clocks:
        e = got[f"{c.key}@bscp.bscp-desktop"]
        assert c.rule_id != "agency-return" or c.note in str(e["SUMMARY"])
        assert e.decoded("DTSTART") == c.due and e.decoded("DTEND") == c.due + dt.timedelta(days=1)
        assert c.reference in str(e["SUMMARY"]) and (c.pseudonym or "") in str(e["SUMMARY"])
        assert str(e["CLASS"]) == "PRIVATE"
    for a in actions:
        e = got[f"action-{a.id}@bscp.bscp-desktop"]
        assert e.decoded("DTSTART") == a.due_date and a.review_reference in str(e["SUMMARY"])


def test_reminder_at_nine_on_the_day_the_clock_turns_amber(svc: Any, tmp_path: Path) -> None:
    v = svc.incidents.register(IncidentInput("Child Q", "died", D(2026, 11, 16))).value  # Monday
    got = events(svc.ics_export.write(tmp_path / "d.ics", AS_OF).path)
    e = got[f"incident-{v.id}-notification@bscp.bscp-desktop"]
    assert e.decoded("DTSTART") == D(2026, 11, 23)  # 5 working days after Monday 16th
    assert "5 working days" in str(e["DESCRIPTION"]) and "Children Act 2004" in str(e["DESCRIPTION"])
    [alarm] = e.walk("VALARM")
    reminder = dt.datetime.combine(D(2026, 11, 23), dt.time()) + alarm.decoded("TRIGGER")
    assert reminder == dt.datetime(2026, 11, 19, 9, 0)  # amber window of 3 working days: Thu, Fri, Mon


def test_a_newer_export_updates_the_same_events(svc: Any, tmp_path: Path) -> None:
    v = svc.incidents.register(IncidentInput("Child Q", "died", D(2026, 11, 16))).value
    first = events(svc.ics_export.write(tmp_path / "1.ics", AS_OF).path)
    svc.incidents.record_notification(v.id, v.version, D(2026, 11, 18))
    second = events(svc.ics_export.write(tmp_path / "2.ics", AS_OF).path)
    notification, rapid = (f"incident-{v.id}-{r}@bscp.bscp-desktop" for r in ("notification", "rapid-review"))
    assert notification in first and notification not in second  # met: no longer a deadline
    assert rapid in second and second[rapid].decoded("DTSTART") == D(2026, 12, 9)
    assert set(first) - {notification} <= set(second)  # the other deadlines keep their UIDs


@pytest.mark.parametrize(("due", "amber", "expected"), [
    (D(2026, 11, 25), 3, D(2026, 11, 23)),  # Wednesday: amber from Monday
    (D(2026, 10, 10), 3, D(2026, 10, 8)),   # a Saturday: amber from Thursday
    (D(2026, 12, 29), 3, D(2026, 12, 23)),  # after Christmas: the bank holidays are skipped
    (D(2026, 11, 25), 1, D(2026, 11, 25)),  # a one-day window: the due day itself
    (D(2026, 11, 25), 0, D(2026, 11, 25)),
])
def test_amber_start(due: dt.date, amber: int, expected: dt.date) -> None:
    assert amber_start(due, WorkingCalendar(), amber) == expected


def test_calendar_command(svc: Any, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svc.incidents.register(IncidentInput("Child Q", "died", D(2026, 11, 16)))
    out = tmp_path / "deadlines.ics"
    assert main(["calendar", "--db", db_url, "--out", str(out), "--as-of", "2026-11-20"]) == 0
    assert "statutory clocks" in capsys.readouterr().out and len(events(out)) >= 1
    assert main(["calendar", "--db", db_url, "--out", str(tmp_path / "deadlines.txt")]) == 2
    assert "must be a .ics file" in capsys.readouterr().err
