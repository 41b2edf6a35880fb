"""Export a register view (its filter, order and columns) to an Excel workbook or a CSV file: the Incidents and
Reviews pages' Export and the ``export`` command. Qt-free.

Runs in the background on the pages: rows are fetched in blocks through the page's ``fetch`` and progress is reported. The
workbook (XlsxWriter, constant memory) has real dates and numbers, so Excel sorts and filters them properly
instead of reading "03/06/2026" as text or as the 6th of March: a bold header row that stays in view, an
AutoFilter and the columns' widths from the screen. Either file is written whole or not at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bscp_desktop import APP_TITLE
from bscp_desktop.services.registers.columns import Column
from bscp_desktop.util.formulas import neutralise
from bscp_desktop.util.text import abbreviated
from bscp_desktop.util.whole_files import write_file_whole

Progress = Callable[[float, str], None]

CHUNK = 2000
_UK_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*|-?\d+")

Fetch = Callable[[list[int]], dict[int, Any]]


def export_view(path: Path, title: str, columns: Sequence[Column], ids: list[int], fetch: Fetch,
                progress: Progress) -> int:
    """Write the rows of ``ids`` to ``path``: a CSV file when it ends in ``.csv``, else an Excel workbook.
    Returns the number of rows written."""
    def fill(part: Path) -> int:
        if path.suffix.lower() == ".csv":
            return _write_csv(part, columns, _rows(columns, ids, fetch, progress))
        return _write_xlsx(part, title, columns, _rows(columns, ids, fetch, progress))
    written = write_file_whole(path, fill)
    return written


def _rows(columns: Sequence[Column], ids: list[int], fetch: Fetch, progress: Progress) -> Iterator[list[str]]:
    """The cell texts of each row, in the order of ``ids`` (rows deleted meanwhile are left out)."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = fetch(chunk)
        for i in chunk:
            if i in rows:
                yield [c.text(rows[i]) for c in columns]
        progress(min(1.0, (start + len(chunk)) / max(1, len(ids))), f"{start + len(chunk):,} of {len(ids):,} rows")


def _write_csv(path: Path, columns: Sequence[Column], rows: Iterator[list[str]]) -> int:
    written = 0
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens UTF-8 correctly
        w = csv.writer(fh)
        w.writerow([neutralise(c.title) for c in columns])
        for row in rows:
            w.writerow([neutralise(cell) for cell in row])  # a pseudonym "=HYPERLINK(...)" is never run
            written += 1
    return written


def cell_value(text: str, numeric: bool) -> Any:
    """What a cell holds in the workbook: a date for a UK date, a number in a numeric column, else the text."""
    if m := _UK_DATE.fullmatch(text):
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return text
    if numeric and _NUMBER.fullmatch(text):
        return int(text.replace(",", ""))
    return text


def _write_xlsx(path: Path, title: str, columns: Sequence[Column], rows: Iterator[list[str]]) -> int:
    import xlsxwriter  # only when a workbook is asked for

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"title": title, "author": APP_TITLE})
    header = book.add_format({"bold": True, "bg_color": "#DFE6EE", "bottom": 1, "text_wrap": True})
    date = book.add_format({"num_format": "dd/mm/yyyy", "align": "left"})
    sheet = book.add_worksheet(abbreviated(re.sub(r"[\[\]:*?/\\]", " ", title), 31))  # Excel's limit for a sheet's name
    for col, c in enumerate(columns):
        sheet.set_column(col, col, max(8.0, c.width / 7))
        sheet.write_string(0, col, c.title, header)
    sheet.freeze_panes(1, 0)
    written = 0
    for row in rows:
        written += 1
        for col, (c, text) in enumerate(zip(columns, row, strict=True)):
            value = cell_value(text, c.align_right)
            if isinstance(value, dt.date):
                sheet.write_datetime(written, col, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, int):
                sheet.write_number(written, col, value)
            elif value:
                sheet.write_string(written, col, value)
    sheet.autofilter(0, 0, written, max(0, len(columns) - 1))
    close_workbook(book)
    return written


def close_workbook(book: Any) -> None:
    """Close (write) an XlsxWriter workbook; a file it could not create raises the ``OSError`` that XlsxWriter
    wraps in its own ``FileCreateError``, so callers tell it like any other file that could not be written."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        book.close()
    except FileCreateError as e:
        cause = e.args[0] if e.args and isinstance(e.args[0], OSError) else OSError(str(e))
        raise cause from None
