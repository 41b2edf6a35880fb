"""``RowTable``: the fixed-row table the long reports use, read back with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from bscp_desktop.render.fasttable import RowTable, fit
from bscp_desktop.render.template import BOLD, FONT, register_fonts

HEADER = ["Case", "Note", "Days"]
WIDTHS = [120.0, 200.0, 60.0]


def build(tmp_path: Path, rows: list[list[str]]) -> list[str]:
    register_fonts()
    out = tmp_path / "t.pdf"
    SimpleDocTemplate(str(out), pagesize=A4).build([RowTable(HEADER, rows, WIDTHS, FONT, BOLD, right=(2,))])
    return [p.extract_text() for p in PdfReader(out).pages]


def test_every_cell_is_written_with_pdf_special_characters_and_unicode(tmp_path: Path) -> None:
    rows = [["BSCP2025-26/01", "Sent (late) – “chased” \\ £10", "3 over"],
            ["BSCP2025-26/02", "Żaneta’s family: Ωμέγα, Привет", "12"],
            ["BSCP2025-26/03", "", "0"]]
    (page,) = build(tmp_path, rows)
    lines = page.splitlines()
    assert lines[0].split() == HEADER
    for row in rows:
        assert any(all(cell in line for cell in row) for line in lines), row


def test_more_than_one_font_subset(tmp_path: Path) -> None:
    # A TrueType font is embedded in subsets of 256 glyphs: 300 distinct letters need a second one.
    letters = [chr(c) for c in range(0x0100, 0x0100 + 300) if c not in range(0x0180, 0x0250)]
    letters += [chr(c) for c in range(0x0400, 0x0400 + 80)]
    rows = [[f"C{i}", "".join(letters[i * 10:(i + 1) * 10]), str(i)] for i in range(len(letters) // 10)]
    text = "".join(build(tmp_path, rows))
    for row in rows:
        assert row[1] in text


def test_long_tables_split_with_the_header_on_every_page(tmp_path: Path) -> None:
    rows = [[f"R{i:04d}", f"note {i}", str(i)] for i in range(300)]
    pages = build(tmp_path, rows)
    assert len(pages) > 2
    seen = []
    for page in pages:
        lines = page.splitlines()
        assert lines[0].split() == HEADER
        seen += [line.split()[0] for line in lines[1:]]
    assert seen == [r[0] for r in rows]  # every row once, in order


def test_text_too_wide_for_its_column_is_cut_with_an_ellipsis(tmp_path: Path) -> None:
    register_fonts()
    long = "A recommendation whose description runs far past the width of its column " * 3
    cut = fit(long, 100, FONT, 7.5)
    assert cut.endswith("…") and len(cut) < len(long)
    assert fit("short", 100, FONT, 7.5) == "short"
    (page,) = build(tmp_path, [["X1", long, "1"]])
    assert fit(long, WIDTHS[1] - 5, FONT, 7.5) in page
    assert long not in page


def test_a_font_that_is_not_truetype_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    table = RowTable(HEADER, [["a", "b", "c"]], WIDTHS, "Helvetica", "Helvetica-Bold")
    with pytest.raises(TypeError, match="TrueType"):
        SimpleDocTemplate(str(out), pagesize=A4).build([table])


def test_text_is_encoded_as_reportlab_itself_encodes_it(tmp_path: Path) -> None:
    """``encoded`` reads the codes reportlab gave each character in the document; it must give what
    ``TTFont.splitString`` gives, for characters placed already, new ones, a no-break space and a second subset."""
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfgen.canvas import Canvas

    from bscp_desktop.render.fasttable import encoded

    register_fonts()
    face = getFont(FONT)
    mine, theirs = Canvas(str(tmp_path / "a.pdf"))._doc, Canvas(str(tmp_path / "b.pdf"))._doc
    texts = ["BSCP2025-26/01", "Sent (late) – “chased”", "Żaneta\xa0Ωμέγα", "", "BSCP2025-26/01 Ż"]
    texts += ["".join(chr(c) for c in range(0x0100 + 40 * i, 0x0100 + 40 * (i + 1))) for i in range(8)]
    texts += ["Ā and Ŀ again, with BSCP", "Привет"]
    for text in texts:
        assert encoded(face, mine, text) == face.splitString(text, theirs), text
    assert len(face.state[mine].subsets) > 1  # the second subset was reached
