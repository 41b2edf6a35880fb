"""The one page template every report uses (reportlab platypus): A4, the partnership's name, the report title,
the protective marking at the top and bottom of every page, the "as of" date, when and by whom it was
generated, "Page X of Y", table headers repeated on every page, UK dates, an embedded Unicode font (DejaVu Sans,
shipped in resources/fonts), and the title and language in the PDF's metadata.

Tables of short single-line cells are drawn by ``RowTable`` (fixed row height, one text object a page);
tables whose cells wrap use reportlab's ``Table`` in chunks of 500 rows (one 10 000-row ``Table`` takes
about four times as long as the chunks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from bscp_desktop.domain.rules import Rag
from bscp_desktop.render.fasttable import RowTable
from bscp_desktop.util.dates import uk
from bscp_desktop.util.resources import resource

FONT, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
CHUNK = 500
MARGIN = 14 * mm

RAG_FILL = {Rag.OVERDUE: "#f8d7da", Rag.DUE: "#fff0c2", Rag.ON_TRACK: "#d8f0dc", Rag.ON_HOLD: "#dde8f6",
            Rag.MET: "#e6e9ee", Rag.MET_LATE: "#efe3f5"}


@cache
def register_fonts() -> None:
    """Register the embedded regular and bold faces once per process; the italic one is registered when a report
    first uses it (``italic``): reading a face takes 10 ms, and most reports never set a word in italics."""
    pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts/DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource("fonts/DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    rl_config.defaultGraphicsFontName = FONT  # charts' default state would otherwise name Helvetica


@cache
def italic() -> str:
    """The italic face's name, registered the first time it is needed: whatever sets text in italics (the
    ``empty`` style, ``<i>`` in a paragraph) calls this first."""
    register_fonts()
    pdfmetrics.registerFont(TTFont(ITALIC, str(resource("fonts/DejaVuSans-Oblique.ttf"))))
    return ITALIC


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "fact": ParagraphStyle("fact", parent=base, fontSize=8.5, leading=10.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9.5, leading=13, textColor=colors.HexColor("#444444"),
                                   spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4),
        "empty": ParagraphStyle("empty", parent=base, fontName=ITALIC, textColor=colors.HexColor("#444444"),
                                spaceBefore=4, spaceAfter=4),
    }


@dataclass(frozen=True)
class ReportMeta:
    """What every page shows about the report."""

    partnership: str
    title: str
    marking: str
    as_of: dt.date
    generated: dt.datetime
    user: str
    landscape: bool = False


def _canvas_class(meta: ReportMeta) -> type[canvas.Canvas]:
    """A canvas that holds its pages back until the end, so each can say "Page X of Y"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                draw_furniture(self, meta, self._pageNumber, total)  # type: ignore[attr-defined]
                super().showPage()
            super().save()

    return NumberedCanvas


def draw_furniture(c: canvas.Canvas, meta: ReportMeta, page: int, total: int) -> None:
    """Marking top and bottom, partnership and title, as-of date, generated by whom and when, page X of Y."""
    width, height = c._pagesize  # type: ignore[attr-defined]  # the page size this canvas draws on
    c.saveState()
    c.setFillColor(colors.HexColor("#9b1c1c"))
    c.setFont(BOLD, 9)
    c.drawCentredString(width / 2, height - 9 * mm, meta.marking)
    c.drawCentredString(width / 2, 6 * mm, meta.marking)
    c.setFillColor(colors.black)
    c.setFont(FONT, 8)
    c.drawString(MARGIN, height - 14 * mm, meta.partnership)
    c.drawRightString(width - MARGIN, height - 14 * mm, f"{meta.title} · as of {uk(meta.as_of)}")
    c.setStrokeColor(colors.HexColor("#999999"))
    c.setLineWidth(0.5)
    c.line(MARGIN, height - 15.5 * mm, width - MARGIN, height - 15.5 * mm)
    c.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)
    c.drawString(MARGIN, 9 * mm, f"Generated {meta.generated:%d/%m/%Y %H:%M} by {meta.user}")
    c.drawRightString(width - MARGIN, 9 * mm, f"Page {page} of {total}")
    c.restoreState()


class ReportDocument(BaseDocTemplate):
    """A4 (portrait or landscape) with room for the page furniture."""

    def __init__(self, filename: str | BinaryIO, meta: ReportMeta) -> None:
        size = landscape(A4) if meta.landscape else A4
        super().__init__(filename, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=20 * mm,
                         bottomMargin=16 * mm, title=f"{meta.title} — {meta.partnership}", author=meta.partnership,
                         subject=f"{meta.title} as of {uk(meta.as_of)} ({meta.marking})", creator="bscp-desktop",
                         lang="en-GB", initialFontName=FONT, initialFontSize=9)  # only embedded fonts in the PDF
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.meta = meta

    def build_story(self, story: list[Flowable], on_progress: Callable[[float], None] | None = None) -> None:
        """Lay out and write the PDF, reporting progress as flowables are placed."""
        if on_progress is not None:
            total = max(1, len(story))
            done = [0]

            def callback(kind: str, value: Any) -> None:
                if kind == "PROGRESS":
                    done[0] += 1
                    on_progress(min(1.0, done[0] / total))

            self.setProgressCallBack(callback)
        self.build(story, canvasmaker=_canvas_class(self.meta))


def heading(text: str) -> Paragraph:
    """A section heading."""
    return Paragraph(escape(text), styles()["h2"])


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped)."""
    return Paragraph(escape(text), styles()[style])


def empty(text: str) -> Paragraph:
    """What a report says instead of an empty table."""
    italic()
    return Paragraph(escape(text), styles()["empty"])


def title_block(meta: ReportMeta, subtitle: str) -> list[Flowable]:
    """The report's title and a line saying what it covers."""
    return [Paragraph(escape(meta.title), styles()["title"]), Paragraph(escape(subtitle), styles()["subtitle"])]


def escape(text: str) -> str:
    """Text made safe for reportlab's paragraph markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
          rag_column: int | None = None, rags: Sequence[Rag | None] | None = None,
          wrap: Sequence[int] = (), numeric: Sequence[int] = (),
          no_rows: str = "There is nothing to list.") -> list[Flowable]:
    """A table in chunks of 500 rows, its header repeated on every page; cells of ``rag_column`` are coloured by
    ``rags`` (their text says the state too); columns in ``wrap`` wrap long text; ``numeric`` ones align right."""
    if not rows:
        return [empty(no_rows)]
    if not wrap and not any(isinstance(v, Flowable) for row in rows[:50] for v in row):
        fills = [RAG_FILL[r] if r is not None else None for r in rags] if rags is not None else None
        return [RowTable(header, [[str(v) for v in row] for row in rows], widths, FONT, BOLD, 7.5, fills,
                         rag_column, numeric)]
    cell = styles()["cell"]
    head = [Paragraph(f"<b>{escape(h)}</b>", cell) for h in header]
    out: list[Flowable] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        data: list[list[Any]] = [head]
        for row in chunk:
            data.append([v if isinstance(v, Flowable) else Paragraph(escape(str(v)), cell) if i in wrap else str(v)
                         for i, v in enumerate(row)])
        style: list[Any] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 7.5),
            ("LEADING", (0, 0), (-1, -1), 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe6ee")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7f9")]),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b8c2cc")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        style += [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in numeric]
        if rag_column is not None and rags is not None:
            for i, rag in enumerate(rags[start:start + CHUNK], start=1):
                if rag is not None:
                    style.append(("BACKGROUND", (rag_column, i), (rag_column, i), colors.HexColor(RAG_FILL[rag])))
        t = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")  # in line with RowTable and the headings
        t.setStyle(TableStyle(style))
        out.append(t)
    return out


def summary_table(pairs: Sequence[tuple[str, str]], widths: tuple[float, float] = (70 * mm, 30 * mm),
                  figures: bool = True) -> Table:
    """A small two-column table of labels and values (figures align right; text does not, and wraps within its
    column rather than running off the page)."""
    if figures:
        rows: list[list[Any]] = [[k, v] for k, v in pairs]
    else:
        fact = styles()["fact"]
        rows = [[Paragraph(escape(k), fact), Paragraph(escape(v), fact)] for k, v in pairs]
    t = Table(rows, colWidths=list(widths), hAlign="LEFT")
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("ALIGN", (1, 0), (1, -1), "RIGHT" if figures else "LEFT"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return t


def gap(height: float = 4 * mm) -> Spacer:
    """Vertical space."""
    return Spacer(1, height)


def audit_anchor(svc: Any) -> list[Flowable]:
    """The audit log's size and head hash, closing a report: a board that files the paper can later prove with
    ``bscp-desktop check`` that the log was not rewritten or cut short since."""
    entries, head = svc.audit_log.head()
    return [gap(), para(f"Audit log when this report was made: {entries:,} entries, head {head}. "
                        "“bscp-desktop check” shows the head of the log as it stands, which follows this one.",
                        "small")]
