"""The notification sheet: on one page, what the National Panel's online notification form asks, filled from the
record, for staff to copy across — the notifying authority, who is told, the dates and time, where it happened,
the reason and the categories of abuse, the notifier, for each child (four to a table, as the form takes them,
the others for its further-information box) its harm and characteristics, and the case outline for the Panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable

from bscp_desktop.domain.notification import told
from bscp_desktop.domain.vocab import (
    CATEGORIES,
    HARMS,
    Answer,
    IncidentLocation,
    LocationType,
    NotificationReason,
    PlanStatus,
)
from bscp_desktop.render.blocks import Block, Facts, Grid, Heading, Text, to_flowables
from bscp_desktop.render.template import ReportMeta, title_block
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

LANDSCAPE = False
PER_TABLE = 4  # the Panel's online form takes four children; more go on as a list

ROWS = (("Harm", lambda c: HARMS.get(c.harm, c.harm)), ("Age band", lambda c: c.age_band or "not recorded"),
        ("Sex", lambda c: c.sex.capitalize() or "not recorded"), ("Ethnicity", lambda c: c.ethnicity or "not recorded"),
        ("Disability", lambda c: Answer.of(c.disability).label),
        ("Looked after", lambda c: Answer.of(c.looked_after).label),
        ("Child protection plan", lambda c: PlanStatus.of(c.cp_plan).label),
        ("Child in need plan", lambda c: PlanStatus.of(c.cin_plan).label),
        ("Known to children's social care or other agencies", lambda c: Answer.of(c.known_to_services).label),
        ("Home local authority", lambda c: c.home_local_authority or "Same as the notifying authority"))


FURTHER = ("The Panel's online form takes four children: a fifth or later child goes in its further-information "
           "box, with these details.")


def children_blocks(children: Any) -> list[Block]:
    """The children, one column each (four to a table, as the online form takes them; the others under a line
    saying they go in its further-information box), one row per characteristic."""
    out: list[Block] = []
    for start in range(0, len(children), PER_TABLE):
        group = children[start:start + PER_TABLE]
        width = 130 / len(group)
        if start:
            out += [Heading(f"Further information: children {start + 1} on"), Text(FURTHER)]
        else:
            out.append(Heading("The children"))
        out.append(Grid(("", *(c.pseudonym for c in group)),
                        tuple((label, *(value(c) for c in group)) for label, value in ROWS),
                        (50, *(width,) * len(group))))
    return out


def incident_for(svc: Services, opts: ReportOptions, document: str) -> Any:
    """The incident ``opts.case`` names, for ``document`` ("the notification sheet"); ``ValueError`` saying what
    is wrong when there is no reference or it is a review's (``NotFound`` when nothing has it)."""
    if not opts.case.strip():
        raise ValueError(f"{document} needs an incident reference (--case)")
    kind, cid = svc.reporting.find_case(opts.case)
    if kind != "incident":
        raise ValueError(f"{opts.case} is a review; {document} is of an incident")
    return svc.incidents.get(cid)


def _incident(svc: Services, opts: ReportOptions) -> Any:
    return incident_for(svc, opts, "the notification sheet")


def blocks(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Block]:
    """The sheet's content."""
    v = _incident(svc, opts)
    p = v.panel
    out: list[Block] = [Facts((
        ("Notifying local authority", v.local_authority or "—"),
        ("Notification reason", NotificationReason.of(v.notification_reason).label),
        ("Notified to", told(v.notification_reason)),
        ("Abuse or neglect known or suspected", "Yes" if v.abuse_suspected else "No"),
        ("Categories of abuse", ", ".join(CATEGORIES[c] for c in v.categories) or "not recorded"),
        ("Date of the incident", uk(v.incident_date, "not recorded") + (f" at {p.incident_time}"
                                                                        if p.incident_time else "")),
        ("Where it happened", IncidentLocation.of(p.location).label if p.location else "not recorded"),
        ("Kind of place", LocationType.of(p.location_type).label if p.location_type else "not recorded"),
        ("Place", p.place or "not recorded"),
        ("Date the local authority became aware", uk(v.became_aware)),
        ("Date notified", uk(v.notified_date, "not yet")),
        ("Panel reference", v.panel_reference or "—"), ("Lead officer", v.lead_officer or "—"),
        ("Notifier", p.notifier or "not recorded (Settings › the partnership's notifier, or the incident form)"),
        ("Children", str(len(v.children))),
    ), (70, 110))]
    out += children_blocks(v.children)
    out += [Heading("Case outline for the Panel"),
            Text(p.case_outline, "No outline for the Panel is recorded on the incident (its notes stay internal).")]
    return out


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The PDF's story."""
    v = _incident(svc, opts)
    return [*title_block(meta, f"{v.local_ref}: to copy into the Panel's online form. As of {uk(opts.as_of)}."),
            *to_flowables(blocks(svc, opts, meta))]
