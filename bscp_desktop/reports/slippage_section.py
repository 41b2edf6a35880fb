"""The LCSPR publication-against-target section the status and annual reports share: each review's target
(moved on by any holds), the actual or planned publication, the days late and why. Built as blocks, so the
annual report's Word version says the same."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable

from bscp_desktop.render.blocks import Block, Facts, Grid, Heading, Text, to_flowables
from bscp_desktop.render.template import gap
from bscp_desktop.util.dates import uk


def slippage_table_blocks(rows: Sequence[Any], title: str, no_rows: str, portrait: bool = False) -> list[Block]:
    """A heading and one line per LCSPR: reference, decided, target, publication (or planned), days late, why
    (the last column fills what a portrait or landscape page leaves)."""
    return [Heading(title),
            Text("The target is six months from the decision, moved on by the calendar days any hold for parallel "
                 "proceedings held the review.", small=True),
            Grid(("Review", "Decided", "Target", "Published / planned", "Days late", "Why"),
                 tuple((r.reference, uk(r.decided), uk(r.target),
                        (uk(r.when) + ("" if r.published else " (planned)")) if r.when else "—",
                        f"{r.days_late:,}" if r.late else "on time", r.reason or "—") for r in rows),
                 (26, 19, 19, 34, 15, 67 if portrait else 156), no_rows, numeric=(4,), wrap=(3, 5))]


def slippage_summary_blocks(summary: Any) -> list[Block]:
    """The share of LCSPRs published on time and the commonest reasons for delay."""
    share = f"{summary.share_on_time:.0%}" if summary.share_on_time is not None else "—"
    pairs = [("LCSPRs published", f"{summary.published:,}"), ("Published on time", f"{summary.on_time:,}"),
             ("Share published on time", share)]
    pairs += [(f"Delayed by: {reason}", f"{n:,}") for reason, n in summary.reasons[:5]]
    return [Heading("Publication against the six-month target"), Facts(tuple(pairs), (100, 30), figures=True)]


def slippage_table(rows: Sequence[Any], title: str, no_rows: str, portrait: bool = False) -> list[Flowable]:
    """``slippage_table_blocks`` laid out for the PDF, after a gap."""
    return [gap(), *to_flowables(slippage_table_blocks(rows, title, no_rows, portrait))]


def slippage_summary(summary: Any) -> list[Flowable]:
    """``slippage_summary_blocks`` laid out for the PDF, after a gap."""
    return [gap(), *to_flowables(slippage_summary_blocks(summary))]
