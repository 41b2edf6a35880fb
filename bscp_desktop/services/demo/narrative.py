"""What the demo writes about each case beyond its dates, kept true to the case's own children: every child
named, no plan or disability the table does not record, known to services where agencies returned; what each
agency did with the children, how the child's and the family's views were sought, why a late Rapid Review was
late, the local-review criteria answered to fit the decision, and the proceedings running beside the case.
Everything is fictional; each sentence names its case, so none repeats across cases."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bscp_desktop.domain.rapid_review import CriterionAnswer, LocalReviewCriterion, ProceedingKind, ProceedingState
from bscp_desktop.domain.vocab import Answer, Decision, PlanStatus
from bscp_desktop.domain.working_days import WorkingCalendar

_SEEN = ("saw {child} at home {n} times in the month before", "held {child} on a caseload since the birth",
         "had {child} at a clinic appointment {n} weeks before", "attended the home after a neighbour's call {n} "
         "times", "received a referral about {child} that was closed after {n} days", "offered {child}'s family an "
         "early help assessment {n} months before")
_FOUND = ("no concerns were recorded", "the concern was not shared with other agencies", "a follow-up visit was "
          "not made", "the worry was raised in supervision", "the family declined further support")
_VIEWS = ("the independent reviewer met {parent} at home", "{parent} spoke with the chair by telephone",
          "{parent} wrote to the partnership", "{parent} was invited to meet and asked for a later date",
          "an advocate gathered {parent}'s views")
_PARENTS = ("the mother", "the father", "both parents", "the grandmother", "the foster carer")
_CHILD_VIEW = ("{child}'s school shared what {child} had said of home", "{child}'s social worker recorded {child}'s "
               "wishes", "an advocate heard {child} in {child}'s own words")
_TOO_YOUNG = "{child} was too young to give a view; the family spoke for {child}"
_YOUNG_BANDS = ("under 1", "1-4")
_LATE = ("the police return came after the meeting was set", "a partner's sign-off was delayed by leave",
         "the meeting moved for a bank holiday week", "the health chronology needed a second request",
         "the partners asked for a further agency's return")


def names(children: list[dict[str, Any]]) -> str:
    """"Child A", "Child A and Child A2", "Child A, Child A2 and Child A3"."""
    pseudonyms = [c["pseudonym"] for c in children]
    return pseudonyms[0] if len(pseudonyms) == 1 else f"{', '.join(pseudonyms[:-1])} and {pseudonyms[-1]}"


def consistent(child: dict[str, Any], agencies_involved: bool) -> None:
    """Settle a drawn child's characteristics so the table never contradicts itself or the case: a looked-after
    child has no current child protection plan; a child of a case with a Rapid Review (agencies return) is
    known to services; a child known to no service had no plan."""
    if child["looked_after"] == Answer.YES and child["cp_plan"] == PlanStatus.CURRENT:
        child["cp_plan"] = PlanStatus.PREVIOUS
    if agencies_involved and child["known_to_services"] == Answer.NO:
        child["known_to_services"] = Answer.YES
    if child["known_to_services"] == Answer.NO:
        child["cp_plan"] = child["cin_plan"] = PlanStatus.NEVER


def involvement(rng: random.Random, children: list[dict[str, Any]], ref: str) -> str:
    """What one agency did with the children, from its return."""
    child = rng.choice(children)["pseudonym"]
    seen = rng.choice(_SEEN).format(child=child, n=rng.randint(2, 4))
    return f"In {ref} the agency {seen}; {rng.choice(_FOUND)}."


def extras(rng: random.Random, rr: dict[str, Any], children: list[dict[str, Any]], ref: str, notified: dt.date,
           sent: dt.date | None, cal: WorkingCalendar) -> dict[str, Any]:
    """How views were sought, why it was late (when it was) and the criteria answered to fit the decision."""
    child = children[0]["pseudonym"]
    parent = rng.choice(_PARENTS)
    heard = _TOO_YOUNG if children[0]["age_band"] in _YOUNG_BANDS else rng.choice(_CHILD_VIEW)  # as its age allows
    views = f"For {ref}, {rng.choice(_VIEWS).format(parent=parent)}; {heard.format(child=child)}."
    due = cal.add(notified, 15)
    late = "" if sent is None or sent <= due else f"In {ref}, {rng.choice(_LATE)}."
    return {"views_sought": views if sent is not None or rng.random() < 0.5 else "", "late_reason": late,
            "local_review_criteria": criteria(rng, rr.get("decision", ""), ref) if sent is not None else {}}


def criteria(rng: random.Random, decision: str, ref: str) -> dict[str, dict[str, str]]:
    """Each criterion answered with reasons that fit the decision: none met for no local review."""
    if decision == Decision.NO_REVIEW:
        met: set[LocalReviewCriterion] = set()
    elif decision == Decision.LCSPR:
        met = {LocalReviewCriterion.IMPROVEMENTS, LocalReviewCriterion.AGENCIES_TOGETHER}
        if rng.random() < 0.5:
            met.add(LocalReviewCriterion.RECURRENT_THEMES)
    else:
        met = {LocalReviewCriterion.IMPROVEMENTS}
    reasons = {
        LocalReviewCriterion.IMPROVEMENTS: ("{ref} shows practice to change across the partnership",
                                            "the learning from {ref} is for one agency and is in hand"),
        LocalReviewCriterion.RECURRENT_THEMES: ("{ref} repeats themes of recent local reviews",
                                                "{ref} raises no theme seen in recent local reviews"),
        LocalReviewCriterion.AGENCIES_TOGETHER: ("in {ref} agencies did not share what each knew",
                                                 "in {ref} agencies shared information as they should"),
        LocalReviewCriterion.PANEL_LOCAL: ("the Panel asked for a local review of {ref}",
                                           "the Panel has not asked for a local review of {ref}"),
    }
    out = {}
    for c in LocalReviewCriterion:
        yes, no = reasons[c]
        text = (yes if c in met else no).format(ref=ref)
        out[c.value] = {"answer": (CriterionAnswer.MET if c in met else CriterionAnswer.NOT_MET).value,
                        "reasons": text[0].upper() + text[1:] + "."}
    return out


def proceedings(rng: random.Random, incident_id: int, children: list[dict[str, Any]], notified: dt.date,
                as_of: dt.date) -> list[dict[str, Any]]:
    """The proceedings beside a case: the coroner and the child death review when a child died, a police
    investigation in most cases, family proceedings for some surviving children."""
    rows = []
    died = any(c["harm"] == "died" for c in children)
    survivors = any(c["harm"] != "died" for c in children)
    plans = []
    if rng.random() < 0.7:
        plans.append((ProceedingKind.POLICE, "an investigation by the public protection unit"))
    if died:
        plans += [(ProceedingKind.CORONER, "the inquest was opened and adjourned"),
                  (ProceedingKind.CHILD_DEATH_REVIEW, "the child death overview panel will consider the death")]
    if survivors and rng.random() < 0.3:
        plans.append((ProceedingKind.FAMILY, "care proceedings for the surviving children"))
    for kind, note in plans:
        roll = rng.random()
        start = notified + dt.timedelta(days=rng.randint(0, 20))
        if start > as_of:
            state, when = ProceedingState.EXPECTED, None
        elif roll < 0.25 and start + dt.timedelta(days=120) <= as_of:
            state, when = ProceedingState.CONCLUDED, start + dt.timedelta(days=rng.randint(90, 120))
        else:
            state, when = ProceedingState.UNDER_WAY, start
        rows.append({"incident_id": incident_id, "kind": kind.value, "state": state.value, "state_date": when,
                     "note": f"Fictional: {note}.", "version": 1})
    return rows


__all__ = ["consistent", "criteria", "extras", "involvement", "names", "proceedings"]
