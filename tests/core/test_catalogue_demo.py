"""The starting public catalogue and the demo generator."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bscp_desktop.domain.rules import Rag
from bscp_desktop.domain.vocab import Stage
from bscp_desktop.models import AgencyReturn, BriefingNote, Incident, PartnerAgreement, RapidReview, Review
from bscp_desktop.services import Services
from bscp_desktop.services.registers.registers import RegisterFilter
from tests.conftest import fingerprint

D = dt.date

SEED_REVIEWS = {
    "BSCP2021-22/02": D(2025, 12, 18), "BSCP2025-26/01": D(2025, 12, 4), "BSCP2022-23/03": D(2025, 6, 18),
    "BSCP2022-23/04": D(2025, 6, 4), "BSCP2020-21/01": D(2024, 12, 17), "BSCP2021-22/01": D(2024, 9, 4),
    "BSCP2019-20/01": D(2024, 7, 23), "BSCP2022-23/02": D(2024, 6, 12), "BSCP2018-19/01": D(2024, 2, 21),
    "BSCP2020-21/02": D(2023, 10, 10),
}


def test_starting_catalogue_is_complete(svc: Any) -> None:
    with svc.db.read() as s:
        reviews = {r.case_reference: r for r in s.scalars(select(Review))}
        assert {ref: reviews[ref].publication_date for ref in SEED_REVIEWS} == SEED_REVIEWS
        assert reviews["BSCP2025-26/01"].kind == "thematic"
        assert reviews["BSCP2022-23/02"].title == "Serious Youth Violence – Breaking the Cycle"
        assert "premature baby who died in 2021" in reviews["BSCP2021-22/02"].summary
        assert {"BDHR 2013 14/02", "BSCB 2016-17/1", "BSCB 2015-16/04", "BSCB 2015-16/01"} <= set(reviews)
        assert reviews["BDHR 2013 14/02"].kind == "dhr"
        notes = {n.title: n.review_id for n in s.scalars(select(BriefingNote))}
        youth_violence = reviews["BSCP2022-23/02"].id
    assert len(notes) == 11
    assert "‘Will I be put to sleep safely tonight?’" in notes
    assert notes["Serious Youth Violence – Breaking the Cycle"] == youth_violence


def test_import_is_idempotent(svc: Any) -> None:
    before = fingerprint(svc)
    op = svc.catalogue.import_starting_catalogue()
    assert (op.value.reviews, op.value.briefing_notes) == (0, 0)
    assert fingerprint(svc) == before


def test_archive_status_boundaries(svc: Any) -> None:
    pub = D(2023, 10, 10)
    assert svc.catalogue.archive_status(pub, D(2026, 10, 9)) == ("published", D(2026, 10, 10))
    assert svc.catalogue.archive_status(pub, D(2026, 10, 10)) == ("archived", D(2026, 10, 10))
    assert svc.catalogue.archive_status(D(2024, 2, 29), D(2027, 2, 28))[1] == D(2027, 2, 28)


def build(path: Path, n: int, seed: int) -> Services:
    svc = Services.open(path, today=lambda: D(2026, 11, 20), user="demo")
    svc.demo.build(n, seed, D(2026, 11, 20))
    return svc


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    a, b, c = build(tmp_path / "a.db", 200, 7), build(tmp_path / "b.db", 200, 7), build(tmp_path / "c.db", 200, 8)
    # Catalogue rows, users and audit entries carry the moment they were written (and the audit chain's hashes cover
    # that moment), and each register has an id of its own; everything else must match.
    fa, fb, fc = (fingerprint(x, skip_columns=("created_at", "added_at", "at", "prev_hash", "entry_hash")) for x in (a, b, c))
    for f in (fa, fb, fc):
        f["settings"] = [row for row in f["settings"] if row[0] != "register.id"]
    assert fa == fb
    assert fa["incidents"] != fc["incidents"]
    for x in (a, b, c):
        x.close()


def test_demo_covers_the_lifecycle(tmp_path: Path) -> None:
    svc = build(tmp_path / "d.db", 1500, 1)
    with svc.db.read() as s:
        stages = dict(s.execute(select(Incident.stage, func.count()).group_by(Incident.stage)).all())
        statuses = dict(s.execute(select(Review.status, func.count()).group_by(Review.status)).all())
        assert s.scalar(select(func.count(Incident.id))) == 1500
    assert {"notification", "rapid-review", "review", "no-review", "published", "closed"} <= set(stages)
    assert {"commissioned", "published"} <= set(statuses)
    rags = {c.rag for c in svc.clocks.all_clocks(open_only=False)}
    assert {Rag.OVERDUE, Rag.DUE, Rag.ON_TRACK, Rag.MET, Rag.MET_LATE} <= rags
    assert svc.incidents.get(1).pseudonym.startswith("Child ")
    svc.close()


def test_demo_counters_continue_numbering(tmp_path: Path) -> None:
    from bscp_desktop.services.incidents.input import IncidentInput

    svc = build(tmp_path / "e.db", 100, 3)
    with svc.db.read() as s:
        last = s.scalar(select(func.max(Incident.sequence)).where(Incident.financial_year == 2026))
    v = svc.incidents.register(IncidentInput("Child Z", "died", D(2026, 11, 19))).value
    assert v.local_ref == f"SI2026-27/{last + 1:03d}"
    svc.close()


def test_demo_actions_read_like_real_action_plans(svc: Any) -> None:
    from bscp_desktop.services.demo.extras import DEMO_LEARNING
    from bscp_desktop.services.reviews.actions import ActionFilter

    svc.demo.build(80, 3, D(2026, 11, 20))
    actions = svc.actions.find(ActionFilter(status=""))
    assert len(actions) > 20
    assert len({a.description for a in actions}) >= 10  # not one sentence repeated
    assert all(a.description in DEMO_LEARNING[a.recommendation_text] for a in actions)  # each answers its own


def test_the_demo_shows_the_children_and_the_rapid_review_workflow_with_varied_narrative(tmp_path: Path) -> None:
    """Siblings, a care leaver's and a looked-after child's deaths, agency returns at every state, partners'
    agreements and Panel replies; and no narrative sentence of a Rapid Review or a case's notes repeats across
    cases."""
    as_of = dt.date(2026, 11, 20)
    svc = Services.open(tmp_path / "demo.db", today=lambda: as_of)
    try:
        svc.demo.build(300, 1, as_of)
        with svc.db.read() as s:
            counts = dict(s.execute(select(Incident.child_count, func.count()).group_by(Incident.child_count)).all())
            reasons = dict(s.execute(select(Incident.notification_reason, func.count())
                                     .group_by(Incident.notification_reason)).all())
            no_rr = s.scalar(select(func.count()).where(Incident.rapid_review_required.is_(False)))
            replies = set(s.scalars(select(RapidReview.panel_reply).distinct()))
            agreed = s.scalar(select(func.count(PartnerAgreement.id)))
            unanswered = s.scalar(select(func.count()).where(AgencyReturn.answered_on.is_(None)))
            texts = s.execute(select(Incident.id, Incident.notes, RapidReview.facts, RapidReview.immediate_action,
                                     RapidReview.improvements, RapidReview.lived_experience, RapidReview.panel_view,
                                     RapidReview.decision_reasons, RapidReview.immediate_learning,
                                     RapidReview.national_importance_reasons)
                              .outerjoin(RapidReview, RapidReview.incident_id == Incident.id)).all()
        assert set(counts) >= {1, 2, 3, 4}
        assert reasons.get("looked-after-death", 0) > 0 and reasons.get("care-leaver-death", 0) > 0 and no_rr > 0
        assert {"agrees", "disagrees", "more-information"} <= replies and agreed > 0 and unanswered > 0
        rags = {st.rag for iid in svc.registers.incident_ids(RegisterFilter(stage=Stage.RAPID_REVIEW))
                for st in svc.rapid_reviews.returns(svc.incidents.get(iid), as_of)}
        assert {Rag.OVERDUE, Rag.MET} <= rags
        cases_of: Counter[str] = Counter()
        for _iid, *fields in texts:
            sentences = {s.strip() for text in fields if text for s in re.split(r"(?<=\.)\s+", text) if s.strip()}
            cases_of.update(sentences)
        repeated = [s for s, n in cases_of.items() if n > 1]
        assert repeated == [], repeated[:5]
    finally:
        svc.close()


def test_the_demo_narrative_follows_each_childs_recorded_facts(tmp_path: Path) -> None:
    """Every child of a several-child case is named; a disability is written of only where the table records
    one; no looked-after child has a current child protection plan; no child is "not known to services" beside
    agency returns; some Rapid Reviews went late and each says why; a decision of no local review has every
    criterion answered; proceedings run beside the cases."""
    from bscp_desktop.models import IncidentChild, ParallelProceeding

    as_of = dt.date(2026, 11, 20)
    svc = Services.open(tmp_path / "demo.db", today=lambda: as_of)
    try:
        svc.demo.build(300, 1, as_of)
        with svc.db.read() as s:
            children: dict[int, list[Any]] = {}
            for c in s.execute(select(IncidentChild.incident_id, IncidentChild.pseudonym, IncidentChild.disability,
                                      IncidentChild.looked_after, IncidentChild.cp_plan,
                                      IncidentChild.known_to_services)
                               .order_by(IncidentChild.incident_id, IncidentChild.position)).all():
                children.setdefault(c.incident_id, []).append(c)
            narratives = {rr.incident_id: rr for rr in s.execute(select(
                RapidReview.incident_id, RapidReview.facts, RapidReview.lived_experience, RapidReview.decision)).all()}
            with_returns = set(s.scalars(select(RapidReview.incident_id).join(AgencyReturn)))
            notes = {iid: f"{text} {outline}" for iid, text, outline in s.execute(
                select(Incident.id, Incident.notes, Incident.case_outline))}
            proceedings = s.scalar(select(func.count(ParallelProceeding.id)))
        several = [iid for iid, kids in children.items() if len(kids) > 1 and iid in narratives]
        assert several
        for iid in several:
            for kid in children[iid]:
                assert kid.pseudonym in narratives[iid].facts, (iid, kid.pseudonym)
                assert notes[iid].count(kid.pseudonym + ",") + notes[iid].count(kid.pseudonym + " ") >= 2  # both
        for iid, rr in narratives.items():
            if "disability" in rr.lived_experience:
                assert any(k.disability == "yes" and k.pseudonym in rr.lived_experience for k in children[iid])
        kids = [k for ks in children.values() for k in ks]
        assert not [k.pseudonym for k in kids if k.looked_after == "yes" and k.cp_plan == "current"]
        assert not [k.pseudonym for k in kids if k.known_to_services == "no" and k.incident_id in with_returns]
        late = [t for iid in narratives if (t := svc.rapid_reviews.timeliness(svc.incidents.get(iid))).late_by > 0]
        assert late and all(t.reason for t in late)
        no_review = [svc.incidents.get(iid).rapid_review for iid, rr in narratives.items() if rr.decision == "no-review"]
        assert no_review and all(c.answered for rr in no_review for c in rr.criteria)
        assert proceedings > 0
        for iid in narratives:  # the form's own warnings find nothing to warn of in the demo
            from bscp_desktop.domain.notification import child_warnings

            v = svc.incidents.get(iid)
            assert child_warnings([c.as_input() for c in v.children], len(v.rapid_review.returns)) == [], v.local_ref
    finally:
        svc.close()


def test_the_demo_archive_requests_can_be_tried_end_to_end(tmp_path: Path) -> None:
    """Open requests in every state (none overdue), each publication asked for held as a stored document (a
    stand-in that says so), and each fulfilled request's disclosure log naming a stored document by its hash."""
    import hashlib

    from bscp_desktop.domain.vocab import RequestStatus

    svc = build(tmp_path / "r.db", 300, 1)
    requests = svc.requests.all()
    assert {r.status for r in requests} >= {s.value for s in RequestStatus}
    for r in requests:
        assert r.reference.startswith(f"AR{r.received_date.year if r.received_date.month > 3 else r.received_date.year - 1}")
        if r.status not in (RequestStatus.FULFILLED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
            assert r.rag is not Rag.OVERDUE and r.received_date <= svc.today()
            for review in r.reviews:
                [doc] = svc.documents.for_review(review.id)
                data = svc.documents.data(doc.id)
                assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == doc.sha256
                assert "stand-in" in doc.title
        if r.status == RequestStatus.FULFILLED:
            assert r.disclosures and all(d.recipient == r.email for d in r.disclosures)
            held = {d.sha256 for review in r.reviews for d in svc.documents.for_review(review.id)}
            assert {d.sha256 for d in r.disclosures} <= held
    svc.close()
