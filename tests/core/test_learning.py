"""Recommendations and actions, themes and annual figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from bscp_desktop.domain.rules import Rag
from bscp_desktop.models import Document
from bscp_desktop.services import ConflictError, ValidationError
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.reviews.actions import ActionFilter, ActionInput
from bscp_desktop.services.reviews.reviews import ReviewInput
from tests.conftest import TODAY, agree_rapid_review, fingerprint

D = dt.date


def review(svc: Any, ref: str = "BSCP2020-21/02") -> int:
    return svc.reviews.by_reference(ref).id


def add_action(svc: Any, due: dt.date | None, **kw: Any) -> Any:
    rec = svc.actions.add_recommendation(review(svc), kw.pop("text", "Agencies share information promptly")).value
    agency = svc.reference_lists.agencies()[0].id
    return svc.actions.add(rec.id, ActionInput(kw.pop("description", "Audit referrals"), agency, "Named lead", due,
                                               **kw)).value


def test_recommendations_are_numbered_per_review(svc: Any) -> None:
    rid = review(svc)
    r1 = svc.actions.add_recommendation(rid, "First").value
    r2 = svc.actions.add_recommendation(rid, "Second", "national").value
    assert (r1.number, r2.number, r2.scope) == (1, 2, "national")
    with pytest.raises(ValidationError, match="already has recommendation 2"):
        svc.actions.add_recommendation(rid, "Clash", number=2)
    with pytest.raises(ValidationError, match="Recommendation: is required"):
        svc.actions.add_recommendation(rid, " ")
    assert [r.text for r in svc.actions.recommendations(rid)] == ["First", "Second"]


def test_action_rag_and_overdue(svc: Any) -> None:
    overdue = add_action(svc, TODAY - dt.timedelta(days=1))
    due = add_action(svc, TODAY + dt.timedelta(days=3))  # Mon 23/11 inside the window (Fri, Mon, Tue)
    later = add_action(svc, TODAY + dt.timedelta(days=30))
    undated = add_action(svc, None)
    assert (overdue.rag, due.rag, later.rag, undated.rag) == (Rag.OVERDUE, Rag.DUE, Rag.ON_TRACK, None)
    assert overdue.overdue and not due.overdue
    assert [a.id for a in svc.actions.overdue_clocks()] and {a.id for a in svc.actions.overdue_clocks()} == {overdue.id, due.id}
    assert [a.id for a in svc.actions.find(ActionFilter(overdue_only=True))] == [overdue.id]
    done = svc.actions.update(overdue.id, overdue.version, ActionInput(
        overdue.description, overdue.agency_id, overdue.owner, overdue.due_date, "completed",
        completed_date=TODAY)).value
    assert done.rag is Rag.MET_LATE and not done.overdue
    assert overdue.id not in {a.id for a in svc.actions.overdue_clocks()}
    assert [a.id for a in svc.actions.find()][:1] == [due.id]  # overdue first; now the due one leads


def test_status_rules(svc: Any) -> None:
    a = add_action(svc, TODAY)
    base = dict(description=a.description, agency_id=a.agency_id, owner=a.owner, due_date=a.due_date)
    before = fingerprint(svc)
    with pytest.raises(ValidationError, match="Reason: is required"):
        svc.actions.update(a.id, a.version, ActionInput(**base, status="not accepted"))
    with pytest.raises(ValidationError, match="Completed on: is required"):
        svc.actions.update(a.id, a.version, ActionInput(**base, status="completed"))
    with pytest.raises(ValidationError) as e:
        svc.actions.update(a.id, a.version, ActionInput(**base, status="assured", completed_date=TODAY))
    assert {p.field for p in e.value.problems} == {"Evidence", "Assurance"}
    with pytest.raises(ValidationError, match="Assurance: an action is assured only with a sign-off"):
        svc.actions.update(a.id, a.version, ActionInput(**base, status="assured", completed_date=TODAY,
                                                        evidence_notes="Audit of 40 referrals attached"))
    with pytest.raises(ValidationError, match="Evidence: is required"):
        svc.actions.update(a.id, a.version, ActionInput(**base, status="assured", completed_date=TODAY,
                                                        assured_by="Board chair", assured_date=TODAY))
    assert fingerprint(svc) == before
    ok = svc.actions.update(a.id, a.version, ActionInput(**base, status="assured", completed_date=TODAY,
                                                         evidence_notes="Audit report", assured_by="Board chair",
                                                         assured_date=TODAY)).value
    assert ok.status == "assured" and ok.rag is Rag.MET
    with pytest.raises(ConflictError):
        svc.actions.update(a.id, a.version, ActionInput(**base))


def test_evidence_document_counts_as_evidence(svc: Any, tmp_path: Path) -> None:
    a = add_action(svc, TODAY)
    doc = tmp_path / "audit.pdf"
    doc.write_bytes(b"%PDF fictional audit")
    added = svc.documents.add(doc, "evidence", review_id=review(svc)).value
    with svc.db.write() as s:  # attach the stored document to the action as its evidence
        s.execute(update(Document).where(Document.id == added.id).values(review_id=None, action_id=a.id))
    ok = svc.actions.update(a.id, a.version, ActionInput(a.description, a.agency_id, a.owner, a.due_date, "assured",
                                                         completed_date=TODAY, assured_by="Chair",
                                                         assured_date=TODAY)).value
    assert ok.status == "assured" and ok.evidence_documents == 1


def test_bulk_update_is_all_or_nothing(svc: Any) -> None:
    a, b, c = (add_action(svc, TODAY) for _ in range(3))
    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:  # "assured" fails for all three: nothing changes
        svc.actions.bulk_status([(a.id, a.version), (b.id, b.version), (c.id, c.version)], "assured", TODAY)
    assert {p.field for p in e.value.problems} == {f"Action {x.id}" for x in (a, b, c)}
    assert fingerprint(svc) == before
    with pytest.raises(ConflictError):  # one stale version: nothing changes
        svc.actions.bulk_status([(a.id, a.version), (b.id, b.version + 1)], "in progress")
    assert fingerprint(svc) == before
    done = svc.actions.bulk_status([(a.id, a.version), (b.id, b.version)], "completed", TODAY).value
    assert {x.status for x in done} == {"completed"} and {x.completed_date for x in done} == {TODAY}
    assert svc.actions.get(c.id).status == "not started"


def test_theme_tagging_and_overview(svc: Any) -> None:
    v = svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2))).value
    themes = {t.name: t.id for t in svc.reference_lists.themes()}
    svc.themes.tag("incident", v.id, [themes["Neglect"], themes["Substance misuse"]])
    assert svc.themes.of("incident", v.id) == sorted([themes["Neglect"], themes["Substance misuse"]])
    svc.themes.tag("review", review(svc, "BSCP2021-22/02"), [themes["Neglect"]])
    add_action(svc, TODAY)  # on BSCP2020-21/02, tagged serious youth violence
    new = svc.themes.add("Private fostering").value
    with pytest.raises(ValidationError, match="already on the list"):
        svc.themes.add("private  FOSTERING")
    view = {t.name: t for t in svc.themes.overview()}
    assert "BSCP2021-22/02" in [r[1] for r in view["Neglect"].reviews] and view["Neglect"].incidents == 1
    assert "BSCP2019-20/01" in [r[1] for r in view["Neglect"].reviews]  # tagged in the starting catalogue
    assert view["Serious youth violence"].open_actions == 1
    assert "Serious Youth Violence – Breaking the Cycle" in view["Serious youth violence"].briefing_notes
    assert view["Private fostering"].reviews == () and view["Private fostering"].id == new.id


def test_rename_and_retire_a_theme(svc: Any) -> None:
    v = svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2))).value
    neglect = next(t for t in svc.themes.overview() if t.name == "Neglect")
    svc.themes.tag("incident", v.id, [neglect.id])
    renamed = svc.themes.update(neglect.id, neglect.version, "Neglect and deprivation").value
    assert renamed.name == "Neglect and deprivation"
    with pytest.raises(ValidationError, match="already on the list"):
        svc.themes.update(neglect.id, neglect.version + 1, "substance  MISUSE")
    with pytest.raises(ConflictError):
        svc.themes.update(neglect.id, neglect.version, "Stale")
    current = next(t for t in svc.themes.overview() if t.id == neglect.id)
    svc.themes.update(current.id, current.version, current.name, active=False)
    assert neglect.id not in {t.id for t in svc.themes.overview()} | {t.id for t in svc.reference_lists.themes()}
    assert svc.themes.of("incident", v.id) == [neglect.id]  # the record keeps it
    back = svc.themes.add("NEGLECT and deprivation").value  # adding the name again brings it back
    assert (back.id, back.active) == (neglect.id, True)


def decided(svc: Any, aware: dt.date, notified: dt.date, sent: dt.date) -> Any:
    v = svc.incidents.register(IncidentInput("Child A", "died", aware)).value
    v = svc.incidents.record_notification(v.id, v.version, notified).value
    v = agree_rapid_review(svc, v.id, sent)
    return svc.incidents.record_rapid_review(v.id, v.version, sent).value


def test_annual_counts_at_the_financial_year_boundary(svc: Any) -> None:
    # Notified 31/03/2025 (2024-25, on time); Rapid Review due 23/04 (Easter skipped), sent 14/04 (2025-26, on time).
    decided(svc, D(2025, 3, 25), D(2025, 3, 31), D(2025, 4, 14))
    # Notified 01/04/2025 (2025-26, on time: due 07/04); Rapid Review due 24/04, sent 30/04: late.
    decided(svc, D(2025, 3, 31), D(2025, 4, 1), D(2025, 4, 30))
    # Notified 20/06 (due 09/06: late); Rapid Review due 11/07, sent 31/07: late.
    late = decided(svc, D(2025, 6, 2), D(2025, 6, 20), D(2025, 7, 31))
    svc.reviews.commission([late.id], ReviewInput("lcspr", "R", D(2025, 7, 31)))
    stats = svc.annual.statistics(2025, years=2)
    y2024, y2025 = stats.years
    assert (y2024.counted.notifications, y2024.counted.rapid_reviews) == (1, 0)
    assert (y2025.counted.notifications, y2025.counted.rapid_reviews, y2025.counted.reviews_commissioned) == (2, 3, 1)
    assert (y2025.counted.notifications_on_time, y2025.counted.rapid_reviews_on_time) == (1, 1)
    assert y2024.counted.notifications_on_time == 1


def test_shares_against_hand_worked_figures(svc: Any) -> None:
    # Ten years with 27 reviews commissioned among 1 690 in England: 1.6 %; child population share 2 %.
    years = range(2016, 2026)
    per_year = [3, 2, 4, 2, 3, 3, 2, 3, 2, 3]
    national = [170, 168, 172, 165, 170, 169, 168, 170, 169, 169]
    for fy, n, nat in zip(years, per_year, national, strict=True):
        for k in range(n):
            v = decided(svc, D(fy, 5, 1), D(fy, 5, 2), D(fy, 5, 20))
            svc.reviews.commission([v.id], ReviewInput("lcspr", f"R{fy}-{k}", D(fy, 6, 1)))
        svc.annual.set_year(fy, child_deaths=100 + fy - 2016, national_reviews=nat, child_population_share=2.0)
    stats = svc.annual.statistics(2025)
    assert sum(per_year) == 27 and sum(national) == 1690
    assert stats.average_commissioned == pytest.approx(2.7)
    assert stats.local_share_of_reviews == pytest.approx(100 * 27 / 1690)  # 1.598 %
    assert f"{stats.local_share_of_reviews:.1f}" == "1.6" and stats.child_population_share == pytest.approx(2.0)
    assert stats.sentence() == ("Over these 10 years an average of 2.7 reviews a year were commissioned, 1.6 % of "
                                "the reviews undertaken in England, when the area has 2.0 % of England's child "
                                "population.")
    assert [y.child_deaths for y in stats.years] == list(range(100, 110))


def test_annual_figures_validation(svc: Any) -> None:
    before = fingerprint(svc)
    with pytest.raises(ValidationError, match="Child deaths"):
        svc.annual.set_year(2025, -1)
    with pytest.raises(ValidationError, match="Share of England's children"):
        svc.annual.set_year(2025, 10, 100, 150.0)
    assert fingerprint(svc) == before
    svc.annual.set_year(2025, 10)
    svc.annual.set_year(2025, 12)  # a correction replaces the figure
    assert svc.annual.statistics(2025, 1).years[0].child_deaths == 12
