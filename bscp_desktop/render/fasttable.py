"""``RowTable``: a long table of short, single-line cells laid out at a fixed row height.

reportlab's ``Table`` measures every cell and draws each string with its own text object; for the deadline
lists staff print every week (thousands of rows) that dominates the time. ``RowTable`` knows its height from
the row count, splits between rows with the header repeated on every page, and writes each page's text through
one text object, with the same look as the other tables (header band, alternate row shading, grid, RAG fills).
Cells that do not fit their column are cut with an ellipsis; tables whose text must wrap use ``Table``.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable

PAD = 2.5
HEADER_BG = colors.HexColor("#dfe6ee")
STRIPE = colors.HexColor("#f5f7f9")
GRID = colors.HexColor("#b8c2cc")


def fit(text: str, width: float, font: str, size: float) -> str:
    """``text``, cut with an ellipsis where it would overflow ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def encoded(face: TTFont, doc: object, text: str) -> list[tuple[int, bytes]]:
    """``text`` in ``face``'s subsets for ``doc``: (subset, bytes) runs, exactly as ``TTFont.splitString`` gives
    them. A long table repeats the same few hundred characters, so once each has its code in the document
    (reportlab's ``assignments``, kept per document) the runs are read from there; a string holding a character
    not yet placed goes through ``splitString``, which places it."""
    state = face.state.get(doc)
    if state is not None:
        assignments: dict[int, int] = state.assignments  # type: ignore[attr-defined]
        try:  # reportlab writes a no-break space as a space
            codes = [assignments[32 if ch == "\xa0" else ord(ch)] for ch in text]
        except KeyError:
            return face.splitString(text, doc)
        if not codes:
            return []
        if max(codes) < 256:  # all in the first subset: the usual case
            return [(0, bytes(codes))]
        runs: list[tuple[int, bytes]] = []
        start = 0
        for i in range(1, len(codes) + 1):
            if i == len(codes) or codes[i] >> 8 != codes[start] >> 8:
                runs.append((codes[start] >> 8, bytes(c & 0xFF for c in codes[start:i])))
                start = i
        return runs
    return face.splitString(text, doc)


class RowTable(Flowable):
    """Rows of plain text at a fixed height; ``fills`` gives an optional background colour per row for the
    ``fill_column`` (the RAG column), and ``right`` the columns aligned right."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], font: str,
                 bold: str, size: float = 7.5, fills: Sequence[str | None] | None = None,
                 fill_column: int | None = None, right: Sequence[int] = (), first_stripe: int = 0) -> None:
        super().__init__()
        self.header, self.rows, self.widths = list(header), rows, list(widths)
        self.font, self.bold, self.size = font, bold, size
        self.fills, self.fill_column, self.right = fills, fill_column, set(right)
        self.first_stripe = first_stripe  # keeps the shading continuous across page splits
        self.row_h = size * 1.2 + 2 * PAD
        self.width = sum(self.widths)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = self.row_h * (len(self.rows) + 1)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit_rows = int(avail_height // self.row_h) - 1  # one row for the repeated header
        if fit_rows < 1:
            return []
        if fit_rows >= len(self.rows):
            return [self]
        return [self._part(0, fit_rows), self._part(fit_rows, len(self.rows))]

    def _part(self, start: int, end: int) -> RowTable:
        return RowTable(self.header, self.rows[start:end], self.widths, self.font, self.bold, self.size,
                        self.fills[start:end] if self.fills is not None else None, self.fill_column, tuple(self.right),
                        (self.first_stripe + start) % 2)

    def _text(self, xs: list[float], top: float) -> str:
        """The PDF text operators for the header and rows: one text object, an absolute origin per cell.

        Written directly rather than through ``canvas.beginText()``: reportlab's text object re-encodes every
        string into the font's subsets and measures it again, and on a page of several hundred cells where rule
        names, RAG words and dates repeat down each column that is most of the table's time. Each distinct cell
        text is fitted, placed and encoded once per column (``TTFont.splitString`` keeps the document's subset
        assignments, so the encoded bytes are those reportlab itself would write).
        """
        size, h = fp_str(self.size), self.row_h
        baseline = PAD + self.size * 0.25
        ops = ["BT"]
        current = ""  # the font subset in force
        placed: dict[tuple[str, int, str, bool], tuple[str, list[tuple[str, str]]]] = {}
        subset_names: dict[tuple[str, int], str] = {}  # (font, subset) → its name in the document
        for row_index, (font, cells) in enumerate([(self.bold, self.header)] + [(self.font, r) for r in self.rows]):
            y = fp_str(top - h * (row_index + 1) + baseline)
            for col, value in enumerate(cells):
                key = (str(value), col, font, not row_index)
                cell = placed.get(key)
                if cell is None:
                    cell = placed[key] = self._place(*key, xs, subset_names)
                x, runs = cell
                ops.append(f"1 0 0 1 {x} {y} Tm")
                for subset, shown in runs:
                    if subset != current:
                        ops.append(f"{subset} {size} Tf")
                        current = subset
                    ops.append(shown)
        ops.append("ET")
        return "\n".join(ops)

    def _place(self, value: str, col: int, font: str, header: bool, xs: list[float],
               subset_names: dict[tuple[str, int], str]) -> tuple[str, list[tuple[str, str]]]:
        """Where one cell's text starts, and its ``(font subset, show operator)`` runs."""
        s = fit(value, self.widths[col] - 2 * PAD, font, self.size)
        if col in self.right and not header:
            x = xs[col + 1] - PAD - stringWidth(s, font, self.size)
        else:
            x = xs[col] + PAD
        face = getFont(font)
        if not isinstance(face, TTFont):
            raise TypeError(f"RowTable needs a TrueType font; {font} is not one")
        doc = self.canv._doc  # type: ignore[attr-defined]  # the document whose font subsets the text uses
        runs = []
        for subset, chunk in encoded(face, doc, s):
            name = subset_names.get((font, subset))
            if name is None:
                name = subset_names[(font, subset)] = face.getSubsetInternalName(subset, doc)
            runs.append((name, f"({escapePDF(chunk)}) Tj"))
        return fp_str(x), runs

    def draw(self) -> None:
        c = self.canv
        n = len(self.rows)
        h, top = self.row_h, self.height
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        c.saveState()
        c.setFillColor(HEADER_BG)
        c.rect(0, top - h, self.width, h, stroke=0, fill=1)
        c.setFillColor(STRIPE)
        for i in range(n):
            if (i + self.first_stripe) % 2:
                c.rect(0, top - h * (i + 2), self.width, h, stroke=0, fill=1)
        if self.fills is not None and self.fill_column is not None:
            x0, w = xs[self.fill_column], self.widths[self.fill_column]
            rows_of: dict[str, list[int]] = {}  # each colour set once, then the cells it fills
            for i, fill in enumerate(self.fills):
                if fill:
                    rows_of.setdefault(fill, []).append(i)
            for fill, rows in rows_of.items():
                c.setFillColor(colors.HexColor(fill))
                for i in rows:
                    c.rect(x0, top - h * (i + 2), w, h, stroke=0, fill=1)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.25)
        c.lines([(0, top - h * k, self.width, top - h * k) for k in range(n + 2)]
                + [(x, 0, x, top) for x in xs])
        c.setFillColor(colors.black)
        c.addLiteral(self._text(xs, top))
        c.restoreState()
