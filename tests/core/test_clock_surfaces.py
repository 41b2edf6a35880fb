"""One clock, one date, one state, everywhere: for every open clock of a demo register, on a weekday, a Sunday and
a bank holiday, the registers, the deadlines report, the calendar export and the ``due`` command give the same
date and say the same state in the same words as the clock itself (``domain.clock_words``). The window's own
surfaces (dashboard, timeline, the form's target) are compared in tests/ui/test_desk.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from bscp_desktop.cli import main
from bscp_desktop.domain.clock_words import clock_state, clock_text
from bscp_desktop.domain.rules import Rag
from bscp_desktop.domain.vocab import PublicationHoldKind
from bscp_desktop.reports.deadlines import clock_rows
from bscp_desktop.services import Services
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.registers.columns import rag_text
from bscp_desktop.services.registers.registers import RegisterFilter
from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput
from bscp_desktop.util.dates import uk

BUILT = dt.date(2026, 11, 20)
AS_OF = {"a Wednesday": dt.date(2026, 11, 25), "a Sunday": dt.date(2026, 11, 29),
         "a bank holiday (Christmas Day)": dt.date(2026, 12, 25)}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A 300-case demo, one of its commissioned reviews held for an inquest (so a held clock is among them), and
    two incidents whose notification falls due on the last working day before the Sunday and before Christmas."""
    folder = tmp_path_factory.mktemp("surfaces")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BSCP_DATA_DIR", str(folder / "data"))
        env.setenv("BSCP_CACHE_DIR", str(folder / "cache"))
        svc = Services.open(folder / "demo.db", today=lambda: BUILT, user="tester")
        svc.demo.build(300, 2, BUILT)
        review = svc.reviews.get(svc.registers.review_ids(RegisterFilter(stage="commissioned"))[0])
        svc.publication_holds.add(review.id, review.version,
                                  PublicationHoldInput(PublicationHoldKind.INQUEST, BUILT - dt.timedelta(days=10)))
        later = Services.open(folder / "demo.db", today=lambda: dt.date(2026, 12, 31), user="tester")
        for name, aware in (("Child Friday", dt.date(2026, 11, 20)), ("Child Christmas", dt.date(2026, 12, 17))):
            later.incidents.register(IncidentInput(name, "died", aware))  # due Friday 27/11, Thursday 24/12
        later.close()
        yield svc
        svc.close()


@pytest.mark.parametrize("day", list(AS_OF))
def test_every_surface_gives_each_clock_the_same_date_state_and_words(register: Any, day: str,
                                                                       tmp_path: Path) -> None:
    svc, as_of = register, AS_OF[day]
    clocks = svc.clocks.all_clocks(as_of)
    assert any(c.rag is Rag.ON_HOLD for c in clocks) and any(c.rag is Rag.OVERDUE for c in clocks)
    # the clock's own words, the one function
    for c in clocks:
        assert c.state == clock_state(c.rag, c.days, c.note if c.rag is Rag.ON_HOLD else "")
    if day != "a Wednesday":  # no working day since Friday: a clock due then is overdue, and says so
        last_friday = [c for c in clocks if c.rag is Rag.OVERDUE and c.days == 0]
        assert last_friday and all(c.state == "overdue since the last working day" for c in last_friday)
    # the deadlines report: a row per clock, its date, state and RAG
    rows = clock_rows(clocks)
    assert [(r[4], r[5], r[6]) for r in rows] == [(uk(c.due), clock_state(c.rag, c.days), c.rag.value)
                                                   for c in clocks]
    # the registers: each case's earliest open clock, as the clocks have it
    by_case: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for c in clocks:
        by_case[(c.case_kind, c.case_id)].append(c)
    for kind, ids_of, rows_of in (("incident", svc.registers.incident_ids, svc.registers.incident_rows),
                                  ("review", svc.registers.review_ids, svc.registers.review_rows)):
        ids = ids_of(RegisterFilter(), as_of)
        shown = rows_of(ids, as_of)
        compared = 0
        for case_id, row in shown.items():
            mine = by_case.get((kind, case_id))
            if not mine or row.next_due is None:
                continue
            first = min(mine, key=lambda c: c.due)
            held = first.note if first.rag is Rag.ON_HOLD else ""
            assert (row.next_rule, row.next_due) == (first.rule_id, first.due), (kind, case_id)
            assert rag_text(row) == clock_text(first.rag, first.days, held), (kind, case_id)
            compared += 1
        assert compared > 5
    # the calendar export: an event per clock on its date, its description saying the same state
    feed, count, _actions = svc.ics_export.build(as_of)
    assert count == len(clocks)
    events = [e for e in Calendar.from_ical(feed.to_ical()).walk("VEVENT")
              if "Statutory clock" in str(e.get("categories").to_ical())]
    assert sorted(e.decoded("dtstart") for e in events) == sorted(c.due for c in clocks)
    described = {str(e.get("description")) for e in events}
    for c in clocks:
        held = c.note if c.rag is Rag.ON_HOLD else ""
        assert any(f"As of {uk(as_of)}: {clock_text(c.rag, c.days, held)}" in d for d in described), c


def test_the_due_command_gives_each_clocks_date(register: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """``due RULE START`` gives the date every surface shows, for a sample of each rule's open clocks (a held
    target moves on by the days held, which ``due`` cannot know)."""
    clocks = [c for c in register.clocks.all_clocks(AS_OF["a Sunday"]) if c.rag is not Rag.ON_HOLD]
    sample = {c.rule_id: c for c in clocks}  # the last clock of each rule
    assert {"notification", "rapid-review"} <= set(sample)
    for c in sample.values():
        assert main(["due", c.rule_id, c.start.isoformat()]) == 0
        assert capsys.readouterr().out.strip() == c.due.isoformat(), c
