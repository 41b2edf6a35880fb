"""A report's content as plain blocks (headings, paragraphs, facts, tables) that both writers lay out: the PDF
(reportlab, ``to_flowables``) and the Word document the unit edits before sending (``reports/word.py``). A
report written both ways builds its blocks once, so the two never say different things."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bscp_desktop.reports.template import empty, gap, heading, para, summary_table, table


@dataclass(frozen=True)
class Heading:
    """A section heading."""

    text: str


@dataclass(frozen=True)
class Text:
    """A paragraph; ``missing`` is what the report says when ``text`` is empty ("Not yet written.")."""

    text: str
    missing: str = ""


@dataclass(frozen=True)
class Facts:
    """A two-column list of labels and values."""

    pairs: tuple[tuple[str, str], ...]
    widths_mm: tuple[float, float] = (55, 125)


@dataclass(frozen=True)
class Grid:
    """A table with a header row; ``widths_mm`` in millimetres on the page; ``no_rows`` said when it is empty."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...]
    no_rows: str = "There is nothing to list."


Block = Heading | Text | Facts | Grid


def to_flowables(blocks: Sequence[Block]) -> list[Flowable]:
    """The blocks as reportlab flowables (paragraphs and tables wrap long text)."""
    out: list[Flowable] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(heading(b.text))
        elif isinstance(b, Text):
            out.append(para(b.text) if b.text.strip() else empty(b.missing or "—"))
        elif isinstance(b, Facts):
            out += [summary_table(list(b.pairs), widths=(b.widths_mm[0] * mm, b.widths_mm[1] * mm), figures=False),
                    gap(2 * mm)]
        else:
            out += table(b.header, b.rows, [w * mm for w in b.widths_mm], wrap=tuple(range(len(b.header))),
                         no_rows=b.no_rows)
    return out


__all__ = ["Block", "Facts", "Grid", "Heading", "Text", "to_flowables"]
