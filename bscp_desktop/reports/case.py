"""Case: one case's key facts, every clock (met or not) and its history of recorded changes, for the case file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bscp_desktop.domain.vocab import DECISIONS, HARMS
from bscp_desktop.render.template import ReportMeta, gap, heading, summary_table, table, title_block
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

LANDSCAPE = False


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The case report for ``opts.case`` (an incident's local reference or a review's case reference)."""
    if not opts.case.strip():
        raise ValueError("the case report needs a case reference (--case)")
    kind, cid = svc.reporting.find_case(opts.case)
    if kind == "incident":
        v = svc.incidents.get(cid)
        clocks = svc.clocks.for_incident(cid, opts.as_of)
        rr = v.rapid_review
        facts = [("Reference", v.local_ref), ("Pseudonym", v.pseudonym), ("Harm", HARMS.get(v.harm, v.harm)),
                 ("Stage", v.stage_label), ("Became aware", uk(v.became_aware)),
                 ("Notified to the Panel", uk(v.notified_date, "—")),
                 ("Rapid Review sent", uk(rr.sent_date, "—") if rr else "—"),
                 ("Decision", f"{DECISIONS[rr.decision]} ({uk(rr.decision_date)})" if rr and rr.decision else "—"),
                 ("Reviews", ", ".join(r.case_reference for r in v.reviews) or "—")]
        if v.closed_date:
            facts.append(("Closed", uk(v.closed_date)))
        subject, history = f"{v.local_ref} — {v.pseudonym}", svc.reporting.history("incident", cid)
    else:
        r = svc.reviews.get(cid)
        clocks = svc.clocks.for_review(cid, opts.as_of)
        facts = [("Case reference", r.case_reference), ("Kind", r.kind_label), ("Title", r.title),
                 ("Status", r.status_label), ("Decision", uk(r.decision_date, "—")),
                 ("Planned publication", uk(r.planned_publication_date, "—")),
                 ("Published", uk(r.publication_date, "—")),
                 ("Incidents", ", ".join(i.local_ref for i in r.incidents) or "—")]
        subject, history = f"{r.case_reference} — {r.title}", svc.reporting.history("review", cid)
    story: list[Flowable] = title_block(meta, f"{subject}; clocks as of {uk(opts.as_of)}.")
    story.append(summary_table(facts, widths=(45 * mm, 135 * mm), figures=False))
    story += [gap(), heading("Clocks")]
    story += table(("Clock", "Case", "Started", "Due", "Met", "RAG", "Working days"),
                   [(c.label, c.reference, uk(c.start), uk(c.due), uk(c.met_on, "—"), c.rag.value,
                     c.state) for c in clocks],
                   (40 * mm, 25 * mm, 17.5 * mm, 17.5 * mm, 17.5 * mm, 14 * mm, 48.5 * mm), rag_column=5,
                   rags=[c.rag for c in clocks], no_rows="This case has no clocks.")
    story += [gap(), heading("History")]
    story += table(("When", "Who", "What", "Details"),
                   [(f"{h.at:%d/%m/%Y %H:%M}", h.user, h.action, h.summary) for h in history],
                   (30 * mm, 28 * mm, 40 * mm, 82 * mm), wrap=(3,), no_rows="No changes are recorded.")
    return story
