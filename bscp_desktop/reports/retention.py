"""Retention: the schedule in force, every record due for disposal review as of the report date (with any legal
hold that blocks it), the active legal holds, and the disposal log. For the records manager and the board."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bscp_desktop.render.template import ReportMeta, gap, heading, para, summary_table, table, title_block
from bscp_desktop.services.trust.retention_schedule import KEPT, NO_STATUTE, RETENTION_RULES
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

LANDSCAPE = True


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The retention report."""
    due = svc.retention.due(opts.as_of)
    holds = svc.retention.holds(active_only=True)
    disposals = svc.retention.disposals()
    story: list[Flowable] = title_block(meta, f"Records due for disposal review as of {uk(opts.as_of)}, legal holds "
                                              "and the disposal log.")
    story.append(summary_table([("Due for disposal review", f"{len(due):,}"),
                                ("Of which under a legal hold", f"{sum(1 for r in due if r.held):,}"),
                                ("Active legal holds", f"{len(holds):,}"),
                                ("Records disposed of", f"{len(disposals):,}")]))
    story += [gap(), heading("The schedule")]
    story += table(("Class of record", "Rule in force", "Basis of the suggested period"),
                   [(c.label, svc.retention.rule_text(c).split(": ", 1)[1], r.basis)
                    for c, r in RETENTION_RULES.items()],
                   (60 * mm, 45 * mm, 164 * mm), wrap=(0, 2))
    story += [gap(2 * mm), para(f"Kept: {'; '.join(KEPT)}. {NO_STATUTE}", "small")]
    story += [gap(), heading(f"Due for disposal review as of {uk(opts.as_of)}")]
    story += table(("Class of record", "Reference", "Retention from", "Due", "Legal hold"),
                   [(r.record_class.label, r.reference, uk(r.since), uk(r.due), r.hold or "—") for r in due],
                   (70 * mm, 32 * mm, 28 * mm, 24 * mm, 115 * mm), wrap=(4,),
                   no_rows="No record is due for disposal review.")
    story += [gap(), heading("Active legal holds")]
    story += table(("Record", "Reason", "Details", "Placed by", "Placed on"),
                   [(h.reference, h.reason.label, h.details or "—", h.placed_by, uk(h.placed_at.astimezone().date()))
                    for h in holds],
                   (32 * mm, 32 * mm, 131 * mm, 44 * mm, 30 * mm), wrap=(2,), no_rows="There are no legal holds.")
    story += [gap(), heading("Disposal log")]
    story += table(("Disposed on", "Class of record", "Reference", "Rule applied", "Approved by"),
                   [(uk(d.disposed_at.astimezone().date()), d.record_class.label, d.reference, d.rule, d.approved_by)
                    for d in disposals],
                   (26 * mm, 62 * mm, 32 * mm, 105 * mm, 44 * mm), wrap=(1, 3),
                   no_rows="No record has been disposed of.")
    return story
