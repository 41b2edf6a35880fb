"""The LCSPR publication-against-target section the status and annual reports share: each review's target
(moved on by any holds), the actual or planned publication, the days late and why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bscp_desktop.dates import uk
from bscp_desktop.reports.template import gap, heading, para, summary_table, table


def slippage_table(rows: Sequence[Any], title: str, no_rows: str, portrait: bool = False) -> list[Flowable]:
    """A heading and one line per LCSPR: reference, decided, target, publication (or planned), days late, why
    (the last column fills what a portrait or landscape page leaves)."""
    story: list[Flowable] = [gap(), heading(title)]
    story.append(para("The target is six months from the decision, moved on by the calendar days any hold for "
                      "parallel proceedings held the review.", "small"))
    story += table(("Review", "Decided", "Target", "Published / planned", "Days late", "Why"),
                   [(r.reference, uk(r.decided), uk(r.target),
                     (uk(r.when) + ("" if r.published else " (planned)")) if r.when else "—",
                     f"{r.days_late:,}" if r.late else "on time", r.reason or "—") for r in rows],
                   (26 * mm, 19 * mm, 19 * mm, 34 * mm, 15 * mm, (67 if portrait else 156) * mm), wrap=(3, 5),
                   numeric=(4,),
                   no_rows=no_rows)
    return story


def slippage_summary(summary: Any) -> list[Flowable]:
    """The share of LCSPRs published on time and the commonest reasons for delay."""
    share = f"{summary.share_on_time:.0%}" if summary.share_on_time is not None else "—"
    pairs = [("LCSPRs published", f"{summary.published:,}"), ("Published on time", f"{summary.on_time:,}"),
             ("Share published on time", share)]
    pairs += [(f"Delayed by: {reason}", f"{n:,}") for reason, n in summary.reasons[:5]]
    return [gap(), heading("Publication against the six-month target"), summary_table(pairs, widths=(100 * mm, 30 * mm))]
