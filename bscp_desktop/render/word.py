"""Word documents (python-docx) of the reports the unit edits before they go out (the Rapid Review report, board
papers): A4, real headings and tables (the header row repeated on each page), the protective marking in the
header and footer, the partnership's name, and "Page X of Y" fields Word fills in. Written from a report's
``blocks`` (``reports/blocks.py``), as the PDF is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from bscp_desktop.render.blocks import Block, Facts, Heading, Text
from bscp_desktop.render.template import ReportMeta
from bscp_desktop.util.dates import uk
from bscp_desktop.util.whole_files import write_file_whole


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """Append a field (PAGE, NUMPAGES) Word computes, showing ``shown`` until it does."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _repeat_header(row: object) -> None:
    """Mark a table row as the header Word repeats at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]  # python-docx's row element
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _furniture(doc: object, meta: ReportMeta) -> None:
    """Page size and margins; the marking and partnership in the header; marking, generated and page in the
    footer."""
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if meta.landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if meta.landscape else WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    head = section.header.paragraphs[0]
    head.text = f"{meta.marking}    {meta.partnership} — {meta.title}"
    foot = section.footer.paragraphs[0]
    foot.text = (f"{meta.marking}    As of {uk(meta.as_of)}; written {meta.generated:%d/%m/%Y %H:%M} by {meta.user}"
                 "    Page ")
    _field(foot, "PAGE", "1")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES", "1")
    for p in (head, foot):
        for run in p.runs:
            run.font.size = Pt(8)


def write_docx(blocks: Sequence[Block], meta: ReportMeta, subtitle: str, out: Path) -> Path:
    """Write ``blocks`` as a Word document to ``out`` (whole or not at all) and return the path."""
    doc = Document()
    doc.core_properties.title = meta.title
    doc.core_properties.author = meta.partnership
    doc.core_properties.language = "en-GB"
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10.5)
    _furniture(doc, meta)
    text_width = (297 if meta.landscape else 210) - 2 * 18
    doc.add_heading(meta.title, level=0)
    doc.add_paragraph(subtitle)
    for b in blocks:
        if isinstance(b, Heading):
            doc.add_heading(b.text, level=1)
        elif isinstance(b, Text):
            for part in (b.text.strip() or b.missing or "—").split("\n\n"):
                doc.add_paragraph(part.strip())
        elif isinstance(b, Facts):
            _table(doc, None, b.pairs, b.widths_mm, text_width=text_width)
        else:
            _table(doc, b.header, b.rows, b.widths_mm, b.no_rows, text_width)
    out = Path(out)
    write_file_whole(out, lambda part: doc.save(str(part)))
    return out


def _table(doc: object, header: Sequence[str] | None, rows: Sequence[Sequence[str]], widths_mm: Sequence[float],
           no_rows: str = "", text_width: float = 174) -> None:
    """A bordered table: a bold header row repeated on each page (when ``header``), then ``rows``."""
    if not rows:
        for run in doc.add_paragraph(no_rows or "—").runs:  # type: ignore[attr-defined]
            run.italic = True
        return
    columns = len(header) if header else len(rows[0])
    table = doc.add_table(rows=0, cols=columns)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = str(text)
            if header is None and i == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    for row in table.rows:  # tables a size smaller than the text, as in the PDF
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8.5)
    table.autofit = False  # the widths below, as the PDF lays them out (Word and LibreOffice both keep them)
    scale = text_width / max(sum(widths_mm), text_width)  # never wider than the page's text
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width * scale)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width * scale)
    doc.add_paragraph()  # type: ignore[attr-defined]


__all__ = ["write_docx"]
