"""What the demo adds around its cases: publication holds and pre-publication checklists at every state, the
recommendations and actions of published reviews, and archive requests (every one fictional)."""

from __future__ import annotations

import datetime as dt
import random
from functools import partial
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bscp_desktop.domain.case_numbers import financial_year_label, financial_year_start
from bscp_desktop.domain.rules import add_months
from bscp_desktop.domain.vocab import (
    FINISHED_REQUESTS,
    PUBLICATION_TARGET_KINDS,
    ActionStatus,
    ChecklistStep,
    PublicationHoldKind,
    RequestStatus,
    ReviewStatus,
)
from bscp_desktop.models import (
    Action,
    ArchiveRequest,
    ChecklistEntry,
    PublicationHold,
    Recommendation,
    Review,
)
from bscp_desktop.services.catalogue.requests import RequestManager
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.demo.releases import every_state
from bscp_desktop.services.reviews.publication_holds import sum_up_holds

# Fictional learning for the demo's reviews: each recommendation with the agency actions that could answer it.
DEMO_LEARNING: dict[str, tuple[str, ...]] = {
    "Agencies share information about risk at the point of referral.": (
        "Add a prompt to the referral form asking which agencies already know the family.",
        "Brief front-door staff on the information-sharing agreement at team meetings.",
        "Audit 20 referrals a quarter for information shared at the point of referral."),
    "Practitioners ask about fathers and other adults in the household.": (
        "Update the assessment template with a section on every adult in the household.",
        "Run a half-day workshop on engaging fathers for health visitors and social workers.",
        "Review ten closed cases for whether the father's views were sought."),
    "Safe sleep advice is repeated at every health contact in the first year.": (
        "Give safe sleep leaflets at every new-birth visit and record it in the child's record.",
        "Add a safe sleep question to the six-to-eight-week check.",
        "Train maternity staff to discuss safe sleep with both parents before discharge."),
    "Escalation procedures are used when concerns are not acted on.": (
        "Relaunch the escalation policy with a one-page guide for practitioners.",
        "Report the number of escalations each quarter to the partnership board.",
        "Add escalation to the supervision checklist used by team managers."),
    "Children's voices are recorded and considered in every assessment.": (
        "Include a 'what the child told us' section in every assessment summary.",
        "Train staff in direct work tools for children with limited speech.",
        "Dip-sample assessments each quarter for the child's recorded views."),
}
DEMO_EVIDENCE = ("Audit report received.", "Training attendance register and evaluation received.",
                 "Revised template seen in use in a sample of cases.", "Board minutes record the quarterly report.",
                 "Policy published on the partnership website.")


def place_holds(s: Session, as_of: dt.date) -> None:
    """Publication holds on the demo's oldest commissioned LCSPRs: one held for criminal proceedings, one
    for an inquest whose expected end has passed, one held for family proceedings and lifted."""
    held = s.scalars(select(Review).where(Review.kind.in_(PUBLICATION_TARGET_KINDS),
                                          Review.status == ReviewStatus.COMMISSIONED,
                                          Review.decision_date <= as_of - dt.timedelta(days=14),
                                          Review.held_since.is_(None))
                     .order_by(Review.decision_date, Review.id).limit(3)).all()
    plans = ((PublicationHoldKind.CRIMINAL, 30, None, 120, "Fictional: the trial is listed for next year."),
             (PublicationHoldKind.INQUEST, 20, None, -14, "Fictional: the inquest was expected to conclude."),
             (PublicationHoldKind.FAMILY, 10, 40, None, "Fictional: care proceedings concluded."))
    for review, (kind, start, lifted, expected, reason) in zip(held, plans, strict=False):
        assert review.decision_date is not None
        started = min(review.decision_date + dt.timedelta(days=start), as_of)
        s.add(PublicationHold(review_id=review.id, kind=kind, started=started, reason=reason,
                              lifted=min(started + dt.timedelta(days=lifted), as_of) if lifted else None,
                              expected_end=as_of + dt.timedelta(days=expected) if expected else None,
                              recorded_by="demo"))
        sum_up_holds(s, review)
    s.flush()


def record_checklists(s: Session, as_of: dt.date) -> None:
    """Checklists at every state: published reviews with the steps staff record done before publication
    (every other one also sent to the national repository), commissioned ones part-way."""
    rows: list[dict[str, Any]] = []
    reviews = s.execute(select(Review.id, Review.status, Review.publication_date, Review.decision_date)
                        .where(Review.decision_date.is_not(None)).order_by(Review.id)).all()
    for n, (rid, status, published, decided) in enumerate(reviews):
        if status == ReviewStatus.PUBLISHED and published is not None:
            steps = [ChecklistStep.FAMILY, ChecklistStep.ANONYMISED, ChecklistStep.PARTNERS, ChecklistStep.PRESS]
            when = {step: published - dt.timedelta(days=40 - 10 * k) for k, step in enumerate(steps)}
            if n % 2 == 0 and published + dt.timedelta(days=14) <= as_of:
                when[ChecklistStep.REPOSITORY] = published + dt.timedelta(days=14)
        elif status == ReviewStatus.COMMISSIONED and decided is not None:
            steps = [ChecklistStep.FAMILY, ChecklistStep.ANONYMISED][: n % 3]
            when = {step: min(decided + dt.timedelta(days=30 * (k + 1)), as_of) for k, step in enumerate(steps)}
        else:
            continue
        rows += [{"review_id": rid, "step": step, "done_on": day, "done_by": "demo", "note": "", "version": 1}
                 for step, day in when.items()]
    if rows:
        s.execute(insert(ChecklistEntry), rows)
    late = [(rid, decided) for rid, status, published, decided in reviews
            if status == ReviewStatus.PUBLISHED and published and decided and published > add_months(decided, 6)]
    if late:  # the latest published late, with its reason and the Panel told before the target passed
        rid, decided = late[-1]
        review = s.get(Review, rid)
        assert review is not None
        review.delay_reason = "Fictional: the family asked for more time to read the report before publication."
        review.panel_told_on = add_months(decided, 6) - dt.timedelta(days=7)


def learning_rows(rng: random.Random, reviews: list[dict[str, Any]], agency_ids: list[int], as_of: dt.date,
              s: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Fictional recommendations and agency actions for the fictional published reviews (never for the real
    catalogue, whose recommendations are not known here)."""
    recs: list[dict[str, Any]] = []
    acts: list[dict[str, Any]] = []
    next_rec = (s.scalar(select(func.max(Recommendation.id))) or 0) + 1
    next_act = (s.scalar(select(func.max(Action.id))) or 0) + 1
    texts = tuple(DEMO_LEARNING)
    for rev in reviews:
        if rev["publication_date"] is None:
            continue
        for number in range(1, rng.randint(2, 4) + 1):
            rec_id = next_rec + len(recs)
            text = rng.choice(texts)
            recs.append({"id": rec_id, "review_id": rev["id"], "number": number, "text": text,
                         "scope": "national" if rng.random() < 0.2 else "local", "version": 1})
            for description in rng.sample(DEMO_LEARNING[text], rng.randint(1, 2)):
                due = rev["publication_date"] + dt.timedelta(days=rng.randint(60, 420))
                finished = due + dt.timedelta(days=180) < as_of or (due < as_of and rng.random() < 0.6)
                status = rng.choice((ActionStatus.COMPLETED, ActionStatus.ASSURED)) if finished else (
                    rng.choice((ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)))
                done = min(as_of, due + dt.timedelta(days=rng.randint(-30, 20))) if finished else None
                acts.append({"id": next_act + len(acts), "recommendation_id": rec_id,
                             "agency_id": rng.choice(agency_ids) if agency_ids else None,
                             "description": description,
                             "owner": rng.choice(("Named lead", "Safeguarding lead", "Head of service")),
                             "due_date": due, "status": status, "not_accepted_reason": "",
                             "evidence_notes": rng.choice(DEMO_EVIDENCE) if finished else "",
                             "completed_date": done, "assured_by": "Assurance panel" if status == ActionStatus.ASSURED else "",
                             "assured_date": done if status == ActionStatus.ASSURED else None,
                             "version": 1})
    return recs, acts


def _number_requests(s: Any, rows: list[dict[str, Any]]) -> None:
    """Number the requests in the financial year each was received in, in order of receipt, after any request
    the register already holds (``AR2026-27/004``)."""
    rows.sort(key=lambda r: r["received_date"])
    by_year: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_year.setdefault(financial_year_start(r["received_date"]), []).append(r)
    for fy, group in by_year.items():
        last = Manager.take_numbers(s, f"request:{fy}", len(group),
                                        partial(RequestManager.highest_sequence, s, fy))
        for seq, r in enumerate(group, start=last - len(group) + 1):
            r["reference"] = f"AR{financial_year_label(fy)}/{seq:03d}"


def request_rows(s: Any, rng: random.Random, as_of: dt.date, n: int,
              cal: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Fictional archive requests for catalogue reviews, at every status (some open, some overdue, a few
    answered over three years ago)."""
    archived = [rid for rid, pub in s.execute(select(Review.id, Review.publication_date)
                                              .where(Review.publication_date.is_not(None)))
                if add_months(pub, 36) <= as_of]
    if not archived:
        return [], []
    start = max(1, (s.scalar(select(func.max(ArchiveRequest.id))) or 0) + 1)
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    orgs = ("University of Anytown", "A national newspaper", "Anytown Council", "A training provider", "")
    for k in range(n):
        days_ago = rng.randint(3, 400)
        if k % 8 == 3:  # one in eight answered years ago: due for disposal review (the Retention page)
            days_ago += 3 * 365
        received = cal.add(as_of - dt.timedelta(days=days_ago), 1)
        received = min(received, as_of)
        age = cal.between(received, as_of)
        status = (RequestStatus.RECEIVED if age < 3 else rng.choice((RequestStatus.ACKNOWLEDGED,
                                                                      RequestStatus.CONSIDERING))) \
            if age < 25 and rng.random() < 0.7 else rng.choices(FINISHED_REQUESTS, weights=(8, 1, 1))[0]
        responded = cal.add(received, rng.randint(3, 24)) if status in FINISHED_REQUESTS else None
        if responded is not None and responded > as_of:
            status, responded = RequestStatus.CONSIDERING, None
        rows.append({"id": start + k, "reference": "", "received_date": received, "channel": "e-mail",
                     "requester_name": f"Fictional Requester {k + 1}", "organisation": rng.choice(orgs),
                     "role": rng.choice(("Researcher", "Journalist", "Practitioner", "Student")),
                     "email": f"requester{k + 1}@example.org", "purpose": "Fictional demo request.",
                     "status": status, "acknowledged_date": cal.add(received, 2) if status != RequestStatus.RECEIVED else None,
                     "responded_date": responded,
                     "decline_reason": "The review was not published." if status == RequestStatus.DECLINED else "",
                     "notes": "", "version": 1})
        links.append({"request_id": start + k, "review_id": rng.choice(archived)})
    every_state(rows, as_of, cal)
    _number_requests(s, rows)
    return rows, links
