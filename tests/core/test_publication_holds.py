"""Holds on a review's publication: the arithmetic (calendar days held, several holds, overlaps, a year end),
the publication clock "On hold" and never overdue while held, the target moved on by the days held once
lifted, the registers and the deadlines report, and the rules a hold must keep."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bscp_desktop.domain.hold_days import HoldSpan, days_held_by, hold_state
from bscp_desktop.domain.rules import Rag, add_months
from bscp_desktop.domain.vocab import PublicationHoldKind
from bscp_desktop.reports import ReportOptions, render
from bscp_desktop.services import ValidationError
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.registers.columns import review_columns
from bscp_desktop.services.registers.registers import RegisterFilter
from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput
from bscp_desktop.services.reviews.reviews import ReviewInput
from tests.conftest import TODAY, agree_rapid_review, complete_checklist

D = dt.date
CRIMINAL, INQUEST, FAMILY = PublicationHoldKind.CRIMINAL, PublicationHoldKind.INQUEST, PublicationHoldKind.FAMILY
DECIDED = D(2026, 2, 2)  # the target, six months on: 02/08/2026, passed by TODAY (20/11/2026)


def test_a_lifted_hold_counts_its_calendar_days_lifting_day_excluded() -> None:
    assert hold_state([HoldSpan(D(2026, 3, 1), D(2026, 3, 11))]).days_held == 10
    assert hold_state([HoldSpan(D(2026, 3, 1), D(2026, 3, 1))]).days_held == 0  # lifted the day it began


def test_a_hold_across_a_year_end() -> None:
    assert hold_state([HoldSpan(D(2025, 12, 20), D(2026, 1, 5))]).days_held == 16


def test_several_holds_count_each_day_once() -> None:
    spans = [HoldSpan(D(2026, 1, 1), D(2026, 1, 11)),  # 10 days
             HoldSpan(D(2026, 1, 6), D(2026, 1, 21)),  # overlaps: 10 more
             HoldSpan(D(2026, 3, 1), D(2026, 3, 4))]  # apart: 3 more
    state = hold_state(spans)
    assert (state.days_held, state.held) == (23, False)
    assert days_held_by(spans, D(2026, 1, 16)) == 15


def test_a_hold_in_force_says_since_when_and_which_kinds() -> None:
    state = hold_state([HoldSpan(D(2026, 1, 1), D(2026, 1, 11), "Inquest"),
                        HoldSpan(D(2026, 5, 1), None, "Criminal proceedings"),
                        HoldSpan(D(2026, 6, 1), None, "Family proceedings"),
                        HoldSpan(D(2026, 4, 20), D(2026, 5, 10), "Inquest")])  # runs into the open one
    assert (state.days_held, state.since) == (10, D(2026, 4, 20))
    assert state.kinds == ("Criminal proceedings", "Family proceedings")


def lcspr(svc: Any, name: str = "Child A", decided: dt.date = DECIDED) -> Any:
    v = svc.incidents.register(IncidentInput(name, "died", decided - dt.timedelta(days=30))).value
    v = svc.incidents.record_notification(v.id, v.version, decided - dt.timedelta(days=29)).value
    v = agree_rapid_review(svc, v.id, decided - dt.timedelta(days=10))
    v = svc.incidents.record_rapid_review(v.id, v.version, decided - dt.timedelta(days=10)).value
    v = svc.incidents.record_decision(v.id, v.version, "lcspr", decided).value
    return svc.reviews.commission([v.id], ReviewInput("lcspr", f"Review for {name}", decided)).value


def hold(svc: Any, review: Any, data: PublicationHoldInput) -> Any:
    return svc.publication_holds.add(review.id, svc.reviews.get(review.id).version, data).value


def publication(svc: Any, review_id: int, as_of: dt.date = TODAY) -> Any:
    return next(c for c in svc.clocks.for_review(review_id, as_of) if c.rule_id == "lcspr-publication")


def test_a_held_review_is_on_hold_not_overdue(svc: Any, tmp_path: Path) -> None:
    review = lcspr(svc)
    assert publication(svc, review.id).rag is Rag.OVERDUE  # the target passed on 02/08/2026
    h = hold(svc, review, PublicationHoldInput(CRIMINAL, D(2026, 5, 4), D(2027, 3, 1), "Trial listed for February"))
    assert h.active and h.recorded_by == svc.user and h.review_reference == review.case_reference
    clock = publication(svc, review.id)
    assert clock.rag is Rag.ON_HOLD and clock.note == "Criminal proceedings since 04/05/2026"
    assert clock.due == add_months(DECIDED, 6) + dt.timedelta(days=(TODAY - D(2026, 5, 4)).days)
    assert clock.rag not in {c.rag for c in svc.clocks.urgent()}
    assert review.id not in {c.case_id for c in svc.clocks.urgent() if c.case_kind == "review"}
    held = [c for c in svc.clocks.all_clocks() if c.case_id == review.id and c.case_kind == "review"]
    assert [c.rag for c in held if c.rule_id == "lcspr-publication"] == [Rag.ON_HOLD]
    out = render(svc, "deadlines", tmp_path / "d.pdf", ReportOptions(TODAY))
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    line = next(t for t in text.splitlines() if t.startswith(f"{review.case_reference} Child A LCSPR publication"))
    assert line.endswith("on hold On hold") and "Overdue" not in line  # how it is held: the table below
    assert " ".join(text.split()).count(f"{review.case_reference} LCSPR publication Criminal proceedings since "
                                        "04/05/2026") == 1


def test_lifting_moves_the_target_on_by_the_days_held(svc: Any, tmp_path: Path) -> None:
    review = lcspr(svc)
    h = hold(svc, review, PublicationHoldInput(INQUEST, D(2026, 6, 1)))
    svc.publication_holds.lift(h.id, h.version, D(2026, 9, 1))  # 92 days
    clock = publication(svc, review.id)
    assert clock.due == add_months(DECIDED, 6) + dt.timedelta(days=92) == D(2026, 11, 2)
    assert clock.rag is Rag.OVERDUE and clock.note == ""
    later = hold(svc, review, PublicationHoldInput(FAMILY, D(2026, 10, 1)))
    svc.publication_holds.lift(later.id, later.version, D(2026, 10, 31))  # 30 more
    assert publication(svc, review.id).due == D(2026, 12, 2)
    assert publication(svc, review.id).rag is Rag.ON_TRACK
    assert [x.days for x in svc.publication_holds.for_review(review.id)] == [92, 30]
    complete_checklist(svc, review.id, tmp_path)
    r = svc.reviews.get(review.id)
    svc.reviews.record_publication(r.id, r.version, D(2026, 11, 20))
    assert publication(svc, review.id).rag is Rag.MET  # published before the moved target


def test_the_registers_show_a_held_review_on_hold(svc: Any) -> None:
    held, late = lcspr(svc, "Child A"), lcspr(svc, "Child B")
    hold(svc, held, PublicationHoldInput(INQUEST, D(2026, 7, 1), D(2026, 10, 1)))
    rows = svc.registers.review_rows([held.id, late.id])
    assert (rows[held.id].rag, rows[held.id].held) == (Rag.ON_HOLD, "Inquest since 01/07/2026")
    assert rows[late.id].rag is Rag.OVERDUE
    next_clock = next(c for c in review_columns() if c.key == "next")
    assert (next_clock.text(rows[held.id]), next_clock.text(rows[late.id])) == ("Publication held", "LCSPR publication")
    assert svc.registers.review_ids(RegisterFilter(rag="on hold")) == [held.id]
    assert held.id not in svc.registers.review_ids(RegisterFilter(rag="overdue"))
    assert late.id in svc.registers.review_ids(RegisterFilter(rag="overdue"))
    past = svc.publication_holds.past_expected_end()
    assert [(p.review_id, p.expected_end) for p in past] == [(held.id, D(2026, 10, 1))]


def test_a_hold_must_keep_its_rules(svc: Any, tmp_path: Path) -> None:
    review = lcspr(svc)
    version = svc.reviews.get(review.id).version
    cases = [(PublicationHoldInput(CRIMINAL, None), "Started on", "is required"),
             (PublicationHoldInput(CRIMINAL, D(2026, 11, 21)), "Started on", "cannot be in the future"),
             (PublicationHoldInput(CRIMINAL, D(2026, 1, 5)), "Started on", "before the decision"),
             (PublicationHoldInput(CRIMINAL, D(2026, 6, 1), D(2026, 5, 1)), "Expected end", "before the hold starts"),
             (PublicationHoldInput(PublicationHoldKind.OTHER, D(2026, 6, 1)), "Reason", "is required")]
    for data, field, words in cases:
        with pytest.raises(ValidationError) as e:
            svc.publication_holds.add(review.id, version, data)
        assert words in (e.value.for_field(field) or ""), (field, str(e.value))
    assert svc.publication_holds.for_review(review.id) == []
    h = hold(svc, review, PublicationHoldInput(CRIMINAL, D(2026, 6, 1)))
    with pytest.raises(ValidationError, match="before the hold started"):
        svc.publication_holds.lift(h.id, h.version, D(2026, 5, 31))
    svc.publication_holds.lift(h.id, h.version, D(2026, 7, 1))
    with pytest.raises(ValidationError, match="lifted already"):
        svc.publication_holds.lift(h.id, svc.publication_holds.for_review(review.id)[0].version, D(2026, 8, 1))
    complete_checklist(svc, review.id, tmp_path)
    r = svc.reviews.get(review.id)
    svc.reviews.record_publication(r.id, r.version, D(2026, 11, 2))
    with pytest.raises(ValidationError, match="published"):
        hold(svc, review, PublicationHoldInput(CRIMINAL, D(2026, 11, 3)))
