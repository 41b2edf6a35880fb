"""Learning into practice: every review's recommendations and the agency actions that implement them, with
owner, due date, status and RAG as of the report date, and the counts a board asks for (how many actions are
completed or assured, how many are overdue)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from bscp_desktop.dates import uk
from bscp_desktop.reports.template import ReportMeta, empty, gap, heading, para, summary_table, table, title_block
from bscp_desktop.rules import Rag
from bscp_desktop.vocab import ACTION_STATUSES, ActionStatus
from bscp_desktop.words import counted

TITLE = "Learning into practice"
LANDSCAPE = True
_DONE = (ActionStatus.COMPLETED, ActionStatus.ASSURED)


def build(svc: Any, opts: Any, meta: ReportMeta) -> list[Flowable]:
    """The learning report."""
    actions = svc.actions.find(as_of=opts.as_of)
    by_review: dict[int, list[Any]] = defaultdict(list)
    for a in actions:
        by_review[a.review_id].append(a)
    statuses = Counter(a.status for a in actions)
    overdue = sum(1 for a in actions if a.rag is Rag.OVERDUE)
    done = sum(statuses[s] for s in _DONE)
    story: list[Flowable] = title_block(meta, f"Each review's recommendations and the agency actions that implement "
                                              f"them, as of {uk(opts.as_of)}. Overdue: not completed, assured or "
                                              "declined by its due date.")
    story.append(summary_table(
        [("Reviews with actions", f"{len(by_review):,}"), ("Actions", f"{len(actions):,}")]
        + [(label, f"{statuses[key]:,}") for key, label in ACTION_STATUSES.items()]
        + [("Overdue", f"{overdue:,}"),
           ("Completed or assured", f"{done / len(actions):.0%}" if actions else "—")]))
    if not actions:
        return [*story, gap(), empty("No agency actions have been recorded yet.")]
    reviews = {rid: svc.reviews.get(rid) for rid in by_review}
    for rid in sorted(by_review, key=lambda r: reviews[r].case_reference or "", reverse=True):
        review, rows = reviews[rid], sorted(by_review[rid], key=lambda a: (a.recommendation_number, a.id))
        late = sum(1 for a in rows if a.rag is Rag.OVERDUE)
        summary = f"{counted(len(rows), 'action')}, {sum(a.status in _DONE for a in rows)} completed or assured, " \
                  f"{late} overdue."
        rows_table = table(("Rec.", "Recommendation", "Action", "Agency", "Owner", "Due", "Status", "RAG"),
                           [(f"R{a.recommendation_number}", a.recommendation_text, a.description, a.agency or "—",
                             a.owner or "—", uk(a.due_date, "—"), _status(a), a.rag.value if a.rag else "—")
                            for a in rows],
                           (12 * mm, 60 * mm, 66 * mm, 38 * mm, 26 * mm, 19 * mm, 26 * mm, 22 * mm),
                           rag_column=7, rags=[a.rag for a in rows], wrap=(1, 2, 3, 4, 6))
        # A review's heading never ends a page apart from its table: the block moves on whole when it can.
        story.append(KeepTogether([gap(), heading(f"{review.case_reference} — {review.title}"), para(summary),
                                   *rows_table]))
    return story


def _status(a: Any) -> str:
    """The status, with the completion or assurance date when there is one."""
    if a.status == ActionStatus.ASSURED and a.assured_date:
        return f"Assured {uk(a.assured_date)}"
    if a.status == ActionStatus.COMPLETED and a.completed_date:
        return f"Completed {uk(a.completed_date)}"
    return str(a.status_label)
