"""Learning into practice: every review's recommendations and the agency actions that implement them, with
owner, due date, status and RAG as of the report date, and the counts a board asks for (how many actions are
completed or assured, how many are overdue)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable, KeepTogether

from bscp_desktop.domain.rules import Rag
from bscp_desktop.domain.vocab import ACTION_STATUSES, ActionStatus
from bscp_desktop.render.blocks import Block, Facts, Grid, Heading, Text, to_flowables
from bscp_desktop.render.template import ReportMeta, empty, gap, title_block
from bscp_desktop.util.dates import uk
from bscp_desktop.util.words import counted

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

LANDSCAPE = True
_DONE = (ActionStatus.COMPLETED, ActionStatus.ASSURED)


def subtitle(svc: Services, opts: ReportOptions) -> str:
    """What the report covers."""
    return (f"Each review's recommendations and the agency actions that implement them, as of {uk(opts.as_of)}. "
            "Overdue: not completed, assured or declined by its due date.")


def _summary(actions: list[Any], reviews: int) -> Facts:
    statuses = Counter(a.status for a in actions)
    done = sum(statuses[s] for s in _DONE)
    return Facts((("Reviews with actions", f"{reviews:,}"), ("Actions", f"{len(actions):,}"),
                  *((label, f"{statuses[key]:,}") for key, label in ACTION_STATUSES.items()),
                  ("Overdue", f"{sum(1 for a in actions if a.rag is Rag.OVERDUE):,}"),
                  ("Completed or assured", f"{done / len(actions):.0%}" if actions else "—")), (70, 30), figures=True)


def _review_blocks(review: Any, rows: list[Any]) -> list[Block]:
    """One review: its heading, how its actions stand, and each action."""
    late = sum(1 for a in rows if a.rag is Rag.OVERDUE)
    summary = f"{counted(len(rows), 'action')}, {sum(a.status in _DONE for a in rows)} completed or assured, " \
              f"{late} overdue."
    return [Heading(f"{review.case_reference} — {review.title}"), Text(summary),
            Grid(("Rec.", "Recommendation", "Action", "Agency", "Owner", "Due", "Status", "RAG"),
                 tuple((f"R{a.recommendation_number}", a.recommendation_text, a.description, a.agency or "—",
                        a.owner or "—", uk(a.due_date, "—"), _status(a), a.rag.value if a.rag else "—") for a in rows),
                 (12, 60, 66, 38, 26, 19, 26, 22), wrap=(1, 2, 3, 4, 6))]


def _by_review(svc: Services, opts: ReportOptions) -> tuple[list[Any], list[tuple[Any, list[Any]]]]:
    """Every action, and each review with its actions (newest review first, actions by recommendation)."""
    actions = svc.actions.find(as_of=opts.as_of)
    by_review: dict[int, list[Any]] = defaultdict(list)
    for a in actions:
        by_review[a.review_id].append(a)
    reviews = {rid: svc.reviews.get(rid) for rid in by_review}
    order = sorted(by_review, key=lambda r: reviews[r].case_reference or "", reverse=True)
    return actions, [(reviews[rid], sorted(by_review[rid], key=lambda a: (a.recommendation_number, a.id)))
                     for rid in order]


def blocks(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Block]:
    """The report's content for the Word version."""
    actions, reviews = _by_review(svc, opts)
    out: list[Block] = [_summary(actions, len(reviews))]
    if not actions:
        return [*out, Text("", "No agency actions have been recorded yet.")]
    for review, rows in reviews:
        out += _review_blocks(review, rows)
    return out


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The learning report."""
    actions, reviews = _by_review(svc, opts)
    story: list[Flowable] = [*title_block(meta, subtitle(svc, opts)), *to_flowables([_summary(actions, len(reviews))])]
    if not actions:
        return [*story, gap(), empty("No agency actions have been recorded yet.")]
    for review, rows in reviews:
        # A review's heading never ends a page apart from its table: the block moves on whole when it can.
        story.append(KeepTogether([gap(), *to_flowables(_review_blocks(review, rows))]))
    return story


def _status(a: Any) -> str:
    """The status, with the completion or assurance date when there is one."""
    if a.status == ActionStatus.ASSURED and a.assured_date:
        return f"Assured {uk(a.assured_date)}"
    if a.status == ActionStatus.COMPLETED and a.completed_date:
        return f"Completed {uk(a.completed_date)}"
    return str(a.status_label)
