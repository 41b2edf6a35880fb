"""Deadlines: every open clock, overdue first then by due date, with a count per RAG state. A review whose
publication is held reads "On hold" with the kind of proceedings and since when, never overdue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bscp_desktop.domain.clock_words import clock_state
from bscp_desktop.domain.rules import RULES, Rag
from bscp_desktop.render.template import ReportMeta, audit_anchor, gap, heading, summary_table, table, title_block
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services
    from bscp_desktop.services.partnership.clocks import ClockView

LANDSCAPE = True  # room for each clock's agency and its state in words, uncut


def clock_rows(clocks: list[ClockView]) -> list[tuple[str, ...]]:
    """The open clocks table's rows: case, pseudonym, clock, started, due, how it stands, RAG (a held clock's
    hold is told in the table after it)."""
    return [(c.reference, c.pseudonym or "—", c.label, uk(c.start), uk(c.due), clock_state(c.rag, c.days),
             c.rag.value) for c in clocks]


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The deadlines report."""
    clocks = svc.clocks.all_clocks(opts.as_of)
    counts = {r: sum(1 for c in clocks if c.rag is r) for r in (Rag.OVERDUE, Rag.DUE, Rag.ON_TRACK, Rag.ON_HOLD)}
    story: list[Flowable] = title_block(meta, f"Every open statutory clock as of {uk(opts.as_of)}: overdue first, "
                                              "then by due date. Working days exclude weekends, England & Wales "
                                              "bank holidays and closure days.")
    story.append(summary_table([(r.value, f"{n:,}") for r, n in counts.items()] + [("Open clocks", f"{len(clocks):,}")]))
    story += [gap(), heading("Open clocks")]
    rows = clock_rows(clocks)
    story += table(("Case", "Pseudonym", "Clock", "Started", "Due", "Working days", "RAG"), rows,
                   (32 * mm, 34 * mm, 52 * mm, 22 * mm, 22 * mm, 62 * mm, 22 * mm), rag_column=6,
                   rags=[c.rag for c in clocks], no_rows="There are no open clocks.")
    held = [c for c in clocks if c.rag is Rag.ON_HOLD]
    if held:
        story += [gap(), heading("On hold for parallel proceedings")]
        story += table(("Case", "Clock", "Held", "Target so far"),
                       [(c.reference, RULES[c.rule_id].short_label, c.note, uk(c.due)) for c in held],
                       (32 * mm, 52 * mm, 130 * mm, 30 * mm), wrap=(2,))
    actions = svc.actions.overdue_clocks(opts.as_of)
    story += [gap(), heading("Agency actions overdue or due")]
    story += table(("Review", "Rec.", "Agency", "Action", "Owner", "Due", "RAG"),
                   [(a.review_reference, f"R{a.recommendation_number}", a.agency or "—", a.description, a.owner or "—",
                     uk(a.due_date), a.rag.value if a.rag else "—") for a in actions],
                   (32 * mm, 12 * mm, 52 * mm, 98 * mm, 30 * mm, 22 * mm, 20 * mm), rag_column=6,
                   rags=[a.rag for a in actions], no_rows="No agency action is overdue or due.")
    story += audit_anchor(svc)
    return story
