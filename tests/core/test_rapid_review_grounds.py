"""What the Rapid Review records beyond its narrative: each local-review criterion answered with its reasons
(a decision of no local review needs them all), how late it went and why, what each agency did with the child,
and the parallel proceedings recorded once on the incident, which start their publication holds when a review
is commissioned. Disposal removes their personal text; migration 0016 adds them to a register holding data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.domain.rapid_review import CriterionAnswer, LocalReviewCriterion, ProceedingKind, ProceedingState
from bscp_desktop.domain.vocab import PublicationHoldKind, RecordClass
from bscp_desktop.services import Services, ValidationError
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.local_review_criteria import CriterionView
from bscp_desktop.services.incidents.proceedings import ProceedingInput
from bscp_desktop.services.incidents.rapid_reviews import LocalReviewGrounds, RapidReviewReport
from bscp_desktop.services.reviews.reviews import ReviewInput
from tests.conftest import agree_rapid_review, answer_criteria

D = dt.date
POLICE, CORONER, CDR, FAMILY = (ProceedingKind.POLICE, ProceedingKind.CORONER, ProceedingKind.CHILD_DEATH_REVIEW,
                                ProceedingKind.FAMILY)


AWARE, NOTIFIED = D(2026, 10, 1), D(2026, 10, 2)


def notified(svc: Any, aware: D = AWARE, notified_on: D = NOTIFIED) -> Any:
    v = svc.incidents.register(IncidentInput("Child G", "died", aware, incident_date=aware)).value
    return svc.incidents.record_notification(v.id, v.version, notified_on).value


def sent(svc: Any, v: Any, on: D) -> Any:
    v = agree_rapid_review(svc, v.id, on)
    return svc.incidents.record_rapid_review(v.id, v.version, on).value


def test_each_criterion_is_answered_with_its_reasons(svc: Any) -> None:
    v = notified(svc)
    half = (CriterionView(LocalReviewCriterion.IMPROVEMENTS, CriterionAnswer.MET, "Practice must change."),
            CriterionView(LocalReviewCriterion.PANEL_LOCAL, CriterionAnswer.NOT_MET, ""))
    with pytest.raises(ValidationError, match="Panel: better reviewed locally reasons: give the reasons for the answer"):
        svc.rapid_reviews.save_grounds(v.id, None, LocalReviewGrounds(half))
    with pytest.raises(ValidationError, match="Improvements needed reasons: must be at most 4,000 characters"):
        svc.rapid_reviews.save_grounds(v.id, None, LocalReviewGrounds((
            CriterionView(LocalReviewCriterion.IMPROVEMENTS, CriterionAnswer.MET, "x" * 4001),)))
    with pytest.raises(ValidationError, match="Improvements needed: must be one of: Not yet answered, Met, Not met"):
        svc.rapid_reviews.save_grounds(v.id, None, LocalReviewGrounds((
            CriterionView(LocalReviewCriterion.IMPROVEMENTS, "perhaps", "Reasons"),)))  # type: ignore[arg-type]
    assert svc.incidents.get(v.id).rapid_review is None  # nothing half-saved
    v = svc.rapid_reviews.save_grounds(v.id, None, LocalReviewGrounds(half[:1])).value
    answers = {c.criterion: c for c in v.rapid_review.criteria}
    assert [c.criterion for c in v.rapid_review.criteria] == list(LocalReviewCriterion)  # all four, in order
    assert (answers[LocalReviewCriterion.IMPROVEMENTS].answer, answers[LocalReviewCriterion.IMPROVEMENTS].reasons) == (
        CriterionAnswer.MET, "Practice must change.")
    assert answers[LocalReviewCriterion.RECURRENT_THEMES].answer == CriterionAnswer.NOT_ANSWERED


def test_no_local_review_needs_every_criterion_and_keeps_them(svc: Any) -> None:
    v = sent(svc, notified(svc), D(2026, 10, 16))
    v = svc.rapid_reviews.save_grounds(v.id, v.rapid_review.version, LocalReviewGrounds((
        CriterionView(LocalReviewCriterion.IMPROVEMENTS, CriterionAnswer.NOT_MET, "Single-agency learning."),))).value
    with pytest.raises(ValidationError, match="not yet answered: Recurrent themes, Agencies working together, Panel"):
        svc.incidents.record_decision(v.id, v.version, "no-review", D(2026, 10, 16), "Single-agency learning.")
    v = answer_criteria(svc, v.id)
    v = svc.incidents.record_decision(v.id, v.version, "no-review", D(2026, 10, 16), "Single-agency learning.").value
    assert v.stage == "no-review"
    with pytest.raises(ValidationError, match="the decision was no local review: every criterion keeps an answer"):
        svc.rapid_reviews.save_grounds(v.id, v.rapid_review.version, LocalReviewGrounds(v.rapid_review.criteria[:2]))
    # an LCSPR needs none answered
    w = sent(svc, notified(svc), D(2026, 10, 16))
    assert svc.incidents.record_decision(w.id, w.version, "lcspr", D(2026, 10, 16)).value.stage == "commissioning"


def test_how_late_it_went_in_working_days_and_why(svc: Any) -> None:
    v = notified(svc)  # notified Friday 02/10/2026: due Friday 23/10/2026 (15 working days)
    t = svc.rapid_reviews.timeliness(v)
    assert (t.due, t.sent, t.late_by, t.summary) == (D(2026, 10, 23), None, 0, "Not yet sent")
    v = svc.rapid_reviews.save_report(v.id, None, RapidReviewReport(
        late_reason="The health chronology needed a second request.")).value
    v = sent(svc, v, D(2026, 10, 27))  # Tuesday: Monday and Tuesday late
    t = svc.rapid_reviews.timeliness(v)
    assert (t.late_by, t.summary, t.reason) == (2, "Sent 2 working days late",
                                                "The health chronology needed a second request.")
    w = sent(svc, notified(svc), D(2026, 10, 23))
    assert svc.rapid_reviews.timeliness(w).summary == "Sent on time"


def test_what_each_agency_did_is_kept_from_its_return(svc: Any) -> None:
    v = notified(svc)
    agency = svc.reference_lists.agencies()[0]
    v = svc.rapid_reviews.ask_agency(v.id, agency.id, D(2026, 10, 2)).value
    ret = v.rapid_review.returns[0]
    with pytest.raises(ValidationError, match="What the agency did: must be at most 4,000 characters"):
        svc.rapid_reviews.record_return(ret.id, ret.version, D(2026, 10, 6), involvement="x" * 4001)
    v = svc.rapid_reviews.record_return(ret.id, ret.version, D(2026, 10, 6), "Chased once",
                                        " Saw Child G at home twice. ").value
    ret = v.rapid_review.returns[0]
    assert (ret.note, ret.involvement) == ("Chased once", "Saw Child G at home twice.")
    v = svc.rapid_reviews.record_return(ret.id, ret.version, D(2026, 10, 6), "Chased twice").value  # kept
    assert v.rapid_review.returns[0].involvement == "Saw Child G at home twice."


def test_proceedings_are_recorded_once_and_checked(svc: Any) -> None:
    v = notified(svc)
    with pytest.raises(ValidationError, match="Date: is required"):
        svc.proceedings.record(v.id, ProceedingInput(POLICE, ProceedingState.UNDER_WAY))
    with pytest.raises(ValidationError, match=r"Date: cannot be before the incident \(01/10/2026\)"):
        svc.proceedings.record(v.id, ProceedingInput(POLICE, ProceedingState.CONCLUDED, D(2026, 9, 1)))
    with pytest.raises(ValidationError, match="Date: cannot be in the future"):
        svc.proceedings.record(v.id, ProceedingInput(POLICE, ProceedingState.UNDER_WAY, D(2027, 1, 1)))
    with pytest.raises(ValidationError, match="Note: must be at most 2,000 characters"):
        svc.proceedings.record(v.id, ProceedingInput(CDR, ProceedingState.UNDER_WAY, D(2026, 10, 5), "x" * 2001))
    v = svc.proceedings.record(v.id, ProceedingInput(FAMILY, ProceedingState.EXPECTED, D(2027, 2, 1))).value
    v = svc.proceedings.record(v.id, ProceedingInput(POLICE, ProceedingState.UNDER_WAY, D(2026, 10, 1), "Arrest")).value
    assert [(p.kind, p.state, p.state_date) for p in v.proceedings] == [
        (POLICE, ProceedingState.UNDER_WAY, D(2026, 10, 1)), (FAMILY, ProceedingState.EXPECTED, D(2027, 2, 1))]
    assert v.proceedings[0].describe == "Under way (since 01/10/2026)"
    with pytest.raises(ValidationError, match="Police investigation is already recorded"):
        svc.proceedings.record(v.id, ProceedingInput(POLICE, ProceedingState.CONCLUDED, D(2026, 10, 5)))
    police = v.proceedings[0]
    v = svc.proceedings.record(v.id, ProceedingInput(POLICE, ProceedingState.CONCLUDED, D(2026, 11, 5)),
                               police.version).value
    assert (v.proceedings[0].state, v.proceedings[0].note) == (ProceedingState.CONCLUDED, "")
    v = svc.proceedings.remove(v.proceedings[1].id, v.proceedings[1].version).value
    assert [p.kind for p in v.proceedings] == [POLICE]


def test_commissioning_starts_the_holds_of_running_proceedings(svc: Any) -> None:
    v = sent(svc, notified(svc), D(2026, 10, 16))
    v = svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 10, 20)).value
    v = svc.proceedings.record(v.id, ProceedingInput(POLICE, ProceedingState.UNDER_WAY, D(2026, 10, 1),
                                                     "Two adults interviewed")).value
    v = svc.proceedings.record(v.id, ProceedingInput(CORONER, ProceedingState.UNDER_WAY, D(2026, 11, 2))).value
    v = svc.proceedings.record(v.id, ProceedingInput(FAMILY, ProceedingState.CONCLUDED, D(2026, 10, 30))).value
    police, coroner, family = v.proceedings
    with pytest.raises(ValidationError, match=r"Family proceedings of .* is concluded: it holds nothing"):
        svc.reviews.commission([v.id], ReviewInput("lcspr", "Review", D(2026, 10, 20)), (police.id, family.id))
    assert svc.incidents.get(v.id).reviews == ()  # refused whole: no review, no hold
    review = svc.reviews.commission([v.id], ReviewInput("lcspr", "Review", D(2026, 10, 20)),
                                    (police.id, coroner.id)).value
    holds = svc.publication_holds.for_review(review.id)
    assert [(h.kind, h.started, h.lifted) for h in holds] == [
        (PublicationHoldKind.CRIMINAL, D(2026, 10, 20), None),  # from the decision: it was running already
        (PublicationHoldKind.INQUEST, D(2026, 11, 2), None)]  # from when it started, after the decision
    assert holds[0].reason == f"Police investigation under way since 01/10/2026 (recorded on {v.local_ref}): " \
                              "Two adults interviewed"
    [clock] = [c for c in svc.clocks.for_review(review.id) if c.rule_id == "lcspr-publication"]
    assert clock.rag.value == "On hold"


def test_disposal_removes_the_new_personal_text(svc: Any) -> None:
    from tests.core.test_retention import closed_incident

    v = closed_incident(svc, "Child D", D(2015, 4, 1), D(2015, 9, 1))
    with svc.db.write() as s:  # recorded before it was closed, as a case's life would have it
        from bscp_desktop.models import AgencyReturn, ParallelProceeding, RapidReview

        rr = s.get(RapidReview, v.rapid_review.id)
        assert rr is not None
        rr.views_sought, rr.late_reason = "The mother met the chair.", "A partner was on leave."
        s.add(AgencyReturn(rapid_review_id=rr.id, agency_id=svc.reference_lists.agencies()[0].id,
                           asked_on=D(2015, 4, 3), involvement="Saw Child D twice."))
        s.add(ParallelProceeding(incident_id=v.id, kind=POLICE, state=ProceedingState.CONCLUDED,
                                 state_date=D(2015, 6, 1), note="Two adults charged."))
    svc.retention.dispose(RecordClass.INCIDENT, v.id)
    after = svc.incidents.get(v.id)
    rr = after.rapid_review
    assert (rr.views_sought, rr.late_reason, rr.returns[0].involvement) == ("", "", "")
    assert all(c.reasons == "" for c in rr.criteria) and all(c.answer == CriterionAnswer.NOT_MET for c in rr.criteria)
    assert [(p.kind, p.state, p.note) for p in after.proceedings] == [(POLICE, ProceedingState.CONCLUDED, "")]


@pytest.mark.plain_only
def test_0016_adds_the_report_fields_to_a_register_holding_data(tmp_path: Path) -> None:
    from tests.core.test_migrations import _register_at

    path = tmp_path / "old.db"
    _register_at(path, "0015")
    with sqlite3.connect(path) as con:
        con.executescript("""
            INSERT INTO rapid_reviews (id, incident_id, meeting_date, sent_date, decision, decision_date,
                decision_reasons, immediate_learning, panel_response_date, panel_view, panel_reply, facts,
                immediate_action, improvements, lived_experience, national_importance, national_importance_reasons,
                sent_without_sign_off, version)
            VALUES (1, 1, '2026-11-10', NULL, '', NULL, '', 'Kept learning', NULL, '', '', 'Kept facts', '', '', '',
                '', '', '', 1);
            INSERT INTO agencies (id, name, short_name, active, version) VALUES (1, 'Fictional Agency', 'FA', 1, 1);
            INSERT INTO agency_returns (id, rapid_review_id, agency_id, asked_on, answered_on, note, version)
            VALUES (1, 1, 1, '2026-11-03', '2026-11-06', 'Kept note', 1);
        """)
        before = {t: con.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                  for t in ("incidents", "rapid_reviews", "agency_returns", "incident_children", "agencies")}
    svc = Services.open(path)
    try:
        v = svc.incidents.get(1)
        rr = v.rapid_review
        assert (rr.facts, rr.immediate_learning, rr.views_sought, rr.late_reason) == ("Kept facts", "Kept learning",
                                                                                       "", "")
        assert all(c.answer == CriterionAnswer.NOT_ANSWERED for c in rr.criteria)
        assert (rr.returns[0].note, rr.returns[0].involvement) == ("Kept note", "")
        assert v.proceedings == ()
        v = svc.proceedings.record(1, ProceedingInput(CORONER, ProceedingState.EXPECTED)).value  # the new table works
        assert [p.kind for p in v.proceedings] == [CORONER]
    finally:
        svc.close()
    with sqlite3.connect(path) as con:
        for table, rows in before.items():
            width = len(rows[0]) if rows else 0
            assert [r[:width] for r in con.execute(f"SELECT * FROM {table} ORDER BY id")] == rows, table
