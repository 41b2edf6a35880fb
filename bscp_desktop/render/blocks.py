"""A report's content as plain blocks (headings, paragraphs, facts, tables) that both writers lay out: the PDF
(reportlab, ``to_flowables``) and the Word document the unit edits before sending (``reports/word.py``). A
report written both ways builds its blocks once, so the two never say different things."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bscp_desktop.render.template import empty, gap, heading, para, summary_table, table


@dataclass(frozen=True)
class Heading:
    """A section heading."""

    text: str


@dataclass(frozen=True)
class Text:
    """A paragraph; ``missing`` is what the report says when ``text`` is empty ("Not yet written."); ``small``
    for a note under a heading."""

    text: str
    missing: str = ""
    small: bool = False


@dataclass(frozen=True)
class Facts:
    """A two-column list of labels and values (``figures``: the values are numbers, aligned right)."""

    pairs: tuple[tuple[str, str], ...]
    widths_mm: tuple[float, float] = (55, 125)
    figures: bool = False


@dataclass(frozen=True)
class Grid:
    """A table with a header row; ``widths_mm`` in millimetres on the page; ``no_rows`` said when it is empty;
    ``numeric`` columns align right; ``wrap`` the columns whose long text wraps (None: every other column)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...]
    no_rows: str = "There is nothing to list."
    numeric: tuple[int, ...] = ()
    wrap: tuple[int, ...] | None = None


Block = Heading | Text | Facts | Grid


def to_flowables(blocks: Sequence[Block]) -> list[Flowable]:
    """The blocks as reportlab flowables (paragraphs and tables wrap long text)."""
    out: list[Flowable] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(heading(b.text))
        elif isinstance(b, Text):
            out.append(para(b.text, "small" if b.small else "body") if b.text.strip() else empty(b.missing or "—"))
        elif isinstance(b, Facts):
            out += [summary_table(list(b.pairs), widths=(b.widths_mm[0] * mm, b.widths_mm[1] * mm), figures=b.figures),
                    gap(2 * mm)]
        else:
            wrap = b.wrap if b.wrap is not None else tuple(c for c in range(len(b.header)) if c not in b.numeric)
            out += table(b.header, b.rows, [w * mm for w in b.widths_mm], wrap=wrap, numeric=b.numeric,
                         no_rows=b.no_rows)
    return out


__all__ = ["Block", "Facts", "Grid", "Heading", "Text", "to_flowables"]
