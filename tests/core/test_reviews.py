"""Review services: commissioning, references, final report, advance copy, publication, take-down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.services import ConflictError, ValidationError
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.views import IncidentView
from bscp_desktop.services.reviews.reviews import ReviewInput
from tests.conftest import TODAY, agree_rapid_review, complete_checklist, fingerprint

D = dt.date


def decided(svc: Any, aware: dt.date = D(2026, 4, 1), decision: str = "lcspr") -> IncidentView:
    v = svc.incidents.register(IncidentInput("Child A", "died", aware)).value
    v = svc.incidents.record_notification(v.id, v.version, aware + dt.timedelta(days=2)).value
    v = agree_rapid_review(svc, v.id, aware + dt.timedelta(days=20))
    v = svc.incidents.record_rapid_review(v.id, v.version, aware + dt.timedelta(days=20)).value
    return svc.incidents.record_decision(v.id, v.version, decision, aware + dt.timedelta(days=20)).value


def commission(svc: Any, ids: list[int], **kw: Any) -> Any:
    data = ReviewInput(kw.pop("kind", "lcspr"), kw.pop("title", "Review of Child A"),
                       kw.pop("decision_date", D(2026, 4, 21)), **kw)
    return svc.reviews.commission(ids, data)


def test_commission_gives_the_next_reference_after_the_catalogue(svc: Any) -> None:
    inc = decided(svc)
    op = commission(svc, [inc.id])
    r = op.value
    assert r.case_reference == "BSCP2026-27/01" and r.status == "commissioned"
    assert [i.local_ref for i in r.incidents] == [inc.local_ref]
    assert op.changes.ids == {"review": {r.id}, "incident": {inc.id}}
    assert svc.incidents.get(inc.id).stage == "review"
    # The starting catalogue already has BSCP2025-26/01: a 2025-26 decision gets /02.
    inc2 = decided(svc, D(2026, 1, 5))
    assert commission(svc, [inc2.id], decision_date=D(2026, 1, 26)).value.case_reference == "BSCP2025-26/02"


def test_one_review_for_several_incidents(svc: Any) -> None:
    a, b = decided(svc), decided(svc)
    r = commission(svc, [a.id, b.id], kind="thematic", title="Thematic review").value
    assert len(r.incidents) == 2
    assert svc.incidents.get(b.id).reviews[0].case_reference == r.case_reference


def test_given_reference_kept_as_entered_and_unique(svc: Any) -> None:
    a = decided(svc)
    r = commission(svc, [a.id], case_reference="BSCB 2026-27/7").value
    assert r.case_reference == "BSCB 2026-27/7"
    b = decided(svc)
    with pytest.raises(ValidationError, match="already used"):
        commission(svc, [b.id], case_reference="BSCB 2026-27/7")
    with pytest.raises(ValidationError) as e:
        commission(svc, [b.id], case_reference="Review 7")
    assert e.value.field == "Case reference" and "not a case reference" in str(e.value)


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"kind": "inquiry"}, "Kind"), ({"title": ""}, "Title"), ({"decision_date": None}, "Decision date"),
     ({"decision_date": TODAY + dt.timedelta(days=1)}, "Decision date"),
     ({"planned_publication_date": D(2026, 4, 1)}, "Planned publication"),
     ({"national_repository_url": "nspcc"}, "National repository link")],
)
def test_commission_validation_saves_nothing(svc: Any, kw: dict[str, Any], field: str) -> None:
    inc = decided(svc)
    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:
        commission(svc, [inc.id], **kw)
    assert field in {p.field for p in e.value.problems}
    assert fingerprint(svc) == before


def test_commission_needs_incidents_and_a_decision_after_notification(svc: Any) -> None:
    with pytest.raises(ValidationError, match="at least one incident"):
        commission(svc, [])
    inc = decided(svc)
    with pytest.raises(ValidationError, match="cannot be before"):
        commission(svc, [inc.id], decision_date=D(2026, 4, 2))


def test_publication_lifecycle(svc: Any, tmp_path: Path) -> None:
    inc = decided(svc)
    r = commission(svc, [inc.id], planned_publication_date=D(2026, 10, 21)).value
    assert r.available_actions() == ["final-report", "advance-copy", "publish", "not-published"]
    r = svc.reviews.record_final_report(r.id, r.version, D(2026, 9, 1)).value
    assert r.status == "final-report"
    r = svc.reviews.record_advance_copy(r.id, r.version, D(2026, 10, 9)).value
    complete_checklist(svc, r.id, tmp_path, D(2026, 10, 9))
    r = svc.reviews.get(r.id)
    op = svc.reviews.record_publication(r.id, r.version, D(2026, 10, 21))
    r = op.value
    assert r.status == "published" and r.publication_date == D(2026, 10, 21)
    assert op.changes.ids["incident"] == {inc.id}
    assert svc.incidents.get(inc.id).stage == "published"
    assert r.available_actions() == ["take-down"]
    with pytest.raises(ValidationError, match="cannot be before the publication"):
        svc.reviews.record_take_down(r.id, r.version, D(2026, 10, 20))
    r = svc.reviews.record_take_down(r.id, r.version, D(2026, 11, 1)).value
    assert r.website_removed_date == D(2026, 11, 1) and r.available_actions() == []


def test_publication_before_decision_refused(svc: Any) -> None:
    inc = decided(svc)
    r = commission(svc, [inc.id]).value
    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:
        svc.reviews.record_publication(r.id, r.version, D(2026, 4, 20))
    assert e.value.field == "Publication date" and "before the decision" in str(e.value)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        svc.reviews.record_publication(r.id, r.version, TODAY + dt.timedelta(days=1))
    assert fingerprint(svc) == before


def test_not_published_needs_reason_and_ends_actions(svc: Any) -> None:
    r = commission(svc, [decided(svc).id]).value
    with pytest.raises(ValidationError, match="Reason"):
        svc.reviews.record_not_published(r.id, r.version, "")
    r = svc.reviews.record_not_published(r.id, r.version, "Criminal proceedings").value
    assert r.status == "unpublished" and r.available_actions() == []
    with pytest.raises(ValidationError, match="not published"):
        svc.reviews.record_publication(r.id, r.version, D(2026, 10, 1))


def test_edit_and_stale_edit(svc: Any) -> None:
    r = commission(svc, [decided(svc).id]).value
    data = ReviewInput("lcspr", "New title", r.decision_date, reviewer="Independent Reviewer 2")
    r2 = svc.reviews.update(r.id, r.version, data).value
    assert (r2.title, r2.reviewer, r2.case_reference) == ("New title", "Independent Reviewer 2", r.case_reference)
    with pytest.raises(ConflictError):
        svc.reviews.update(r.id, r.version, ReviewInput("lcspr", "Other", r.decision_date))
    assert svc.reviews.get(r.id).title == "New title"
