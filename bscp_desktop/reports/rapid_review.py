"""The Rapid Review report the unit sends to the National Panel, in the order Working Together 2023 asks for:
a summary of the incident (date and place), the Rapid Review's due and sent dates (late by how many working
days, and why), the children, the agencies with their returns and what each did with the child, the facts
(with agency involvement and key practice episodes), immediate action to keep children safe, the potential for
improvements to practice, the child's lived experience (racism and other inequalities such as disability), the
immediate learning, how the child's and the family's views were sought, the parallel proceedings, the decision
on next steps with each local-review criterion answered and its reasons (and the national-importance view), and
the three safeguarding partners' sign-off. Written as a PDF or as a Word document to edit before sending."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable

from bscp_desktop.domain.rapid_review import SECTIONS, CriterionAnswer, LocalReviewCriterion
from bscp_desktop.domain.vocab import (
    DECISIONS,
    IncidentLocation,
    LocationType,
    NationalImportance,
    NotificationReason,
    Partner,
)
from bscp_desktop.render.blocks import Block, Facts, Grid, Heading, Text, to_flowables
from bscp_desktop.render.template import ReportMeta, title_block
from bscp_desktop.reports.notification import children_blocks, incident_for
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

LANDSCAPE = False


DECISION_HEADING = "The decision on next steps and its reasons"
CRITERIA_HEADING = "The criteria for a local child safeguarding practice review"
LEARNING_HEADING = "Immediate learning"
PROCEEDINGS_HEADING = "Parallel proceedings"
SIGN_OFF_HEADING = "Agreement of the three safeguarding partners"


def _incident(svc: Services, opts: ReportOptions) -> Any:
    return incident_for(svc, opts, "the Rapid Review report")


def subtitle(svc: Services, opts: ReportOptions) -> str:
    """What the report covers."""
    v = _incident(svc, opts)
    return f"{v.local_ref}; Panel reference {v.panel_reference or 'not yet given'}; as of {uk(opts.as_of)}."


def blocks(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Block]:
    """The report's content, for either writer."""
    v = _incident(svc, opts)
    rr = v.rapid_review
    returns = svc.rapid_reviews.returns(v, opts.as_of)
    out: list[Block] = [Facts((
        ("Local reference", v.local_ref), ("Panel reference", v.panel_reference or "—"),
        ("Notification reason", NotificationReason.of(v.notification_reason).label),
        ("Local authority where it happened", v.local_authority or "—"),
        ("Became aware", uk(v.became_aware)), ("Notified to the Panel", uk(v.notified_date, "not yet")),
        ("Rapid Review meeting", uk(rr.meeting_date, "—") if rr else "—"),
    ))]
    out += _incident_summary(v) + _timeliness(svc.rapid_reviews.timeliness(v))
    out += children_blocks(v.children)
    out += [Heading("Agencies and their returns"),
            Grid(("Agency", "Asked on", "Due", "Answered on", "Status"),
                 tuple((s.ret.agency, uk(s.ret.asked_on), uk(s.due), uk(s.ret.answered_on, "not yet"), s.rag.value)
                       for s in returns), (66, 27, 27, 30, 24), "No agency has been asked yet.")]
    if returns:
        out += [Heading("What each agency did with the child"),
                Facts(tuple((s.ret.agency, s.ret.involvement or "Not yet recorded from its return.")
                            for s in returns), (55, 125))]
    for section in SECTIONS:
        out += [Heading(section.heading), Text(getattr(rr, section.field) if rr else "", "Not yet written.")]
    out += [Heading(LEARNING_HEADING), Text(rr.immediate_learning if rr else "", "None recorded yet.")]
    out += [Heading(PROCEEDINGS_HEADING),
            Grid(("Proceeding", "State", "Date", "Note"),
                 tuple((p.kind.label, p.state.label,
                        f"{p.state.date_label} {uk(p.state_date)}" if p.state_date else "—", p.note or "—")
                       for p in v.proceedings), (45, 25, 40, 70), "No parallel proceedings are recorded.")]
    out += _decision(rr)
    out += [Heading(SIGN_OFF_HEADING),
            Grid(("Partner", "Agreed by", "Role", "Agreed on"),
                 tuple((p.label, *((a.name, a.role_title or "—", uk(a.agreed_on)) if (a := rr and rr.agreement(p))
                                   else ("not yet agreed", "", ""))) for p in Partner),
                 (50, 50, 55, 25))]
    if rr and rr.sent_without_sign_off:
        out.append(Text(f"Sent before all three partners agreed: {rr.sent_without_sign_off}"))
    return out


def _incident_summary(v: Any) -> list[Block]:
    """What happened, when and where, as the Panel's form records it."""
    p = v.panel
    where = ", ".join(x for x in (IncidentLocation.of(p.location).label if p.location else "",
                                  LocationType.of(p.location_type).label if p.location_type else "", p.place) if x)
    return [Heading("Summary of the incident"),
            Facts((("Date of the incident", uk(v.incident_date, "not recorded")
                    + (f" at {p.incident_time}" if p.incident_time else "")),
                   ("Where it happened", where or "not recorded"))),
            Text(p.case_outline, "No outline of the case is recorded on the incident.")]


def _timeliness(t: Any) -> list[Block]:
    """The Rapid Review's due date, when it was sent and, when late, by how much and why."""
    pairs = [("Rapid Review due", uk(t.due, "—")), ("Sent to the Panel", uk(t.sent, "not yet")),
             ("Timeliness", t.summary)]
    if t.late_by > 0:
        pairs.append(("Why it was late", t.reason or "No reason recorded."))
    return [Heading("Timeliness"), Facts(tuple(pairs))]


def _decision(rr: Any) -> list[Block]:
    """The decision, each local-review criterion answered with its reasons, and the national-importance view."""
    national = NationalImportance.of(rr.national_importance).label if rr else NationalImportance.NOT_DECIDED.label
    decision = DECISIONS.get(rr.decision, "Not yet decided") if rr and rr.decision else "Not yet decided"
    answers = tuple((c.criterion.label, c.answer.label, c.reasons or "—") for c in rr.criteria) if rr else tuple(
        (c.label, CriterionAnswer.NOT_ANSWERED.label, "—") for c in LocalReviewCriterion)
    return [Heading(DECISION_HEADING),
            Facts((("Decision", decision + (f" ({uk(rr.decision_date)})" if rr and rr.decision_date else "")),
                   ("National importance", national))),
            Text(rr.decision_reasons if rr else "", "The reasons are recorded with the decision."),
            Text(rr.national_importance_reasons if rr else "", ""),
            Heading(CRITERIA_HEADING),
            Grid(("Criterion", "Answer", "Reasons"),
                 answers, (70, 25, 85))]


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The PDF's story."""
    return [*title_block(meta, subtitle(svc, opts)), *to_flowables(blocks(svc, opts, meta))]
