"""Reading a spreadsheet that staff already keep (Excel ``.xlsx`` through openpyxl, or CSV) into rows of named
cells, and the cell parsers the importers share: each returns the value or records a problem naming the row,
the column and the rule, so one pass reports everything wrong with a file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self
from zipfile import BadZipFile

from bscp_desktop.services.core.errors import ValidationError
from bscp_desktop.util.dates import parse_date
from bscp_desktop.util.formulas import looks_like_formula
from bscp_desktop.util.text import abbreviated, clean_text, without_bidi_controls

MAX_ROWS = 100_000
MAX_COLUMNS = 200  # the widest import template has under a hundred columns
MAX_CELL = 100_000  # characters in one cell: a long narrative fits; a runaway paste does not
MAX_FILE_BYTES = 200 * 1024 * 1024
PROBLEMS_LISTED = 200  # a file with thousands of problems lists the first ones and counts the rest


class SheetError(ValueError):
    """The file cannot be read as a table at all (the message says why)."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one row of the file."""

    line: int  # the spreadsheet's row number: the header is row 1
    field: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.line}: {self.field} {self.message}"


@dataclass(frozen=True)
class SheetPlan[R]:
    """What a file would import (its rows), and everything wrong with it."""

    source: Path
    rows: tuple[R, ...]
    problems: tuple[RowProblem, ...]  # the first ``PROBLEMS_LISTED`` in row order
    ignored_columns: tuple[str, ...] = ()
    problem_count: int = 0  # every problem found (``problems`` lists the first of them)

    @property
    def ok(self) -> bool:
        """True when there is something to import and nothing wrong."""
        return bool(self.rows) and not self.problems

    @property
    def problems_not_listed(self) -> int:
        """How many problems were found beyond those listed."""
        return max(0, self.problem_count - len(self.problems))

    @classmethod
    def checked(cls, source: Path, rows: Sequence[R], problems: Sequence[RowProblem], sheet: Sheet,
                **more: Any) -> Self:
        """A plan from a checked sheet: its first ``PROBLEMS_LISTED`` problems in row order, and how many."""
        listed = tuple(sorted(problems, key=lambda p: p.line)[:PROBLEMS_LISTED])
        return cls(source, tuple(rows), listed, tuple(sheet.ignored_columns), len(problems), **more)

    def require_ok(self, noun: str) -> None:
        """Raise ``ValidationError`` unless the plan can be imported (``noun``: what its rows are, plural)."""
        if not self.ok:
            raise ValidationError.one("File", "has problems to put right first" if self.problems
                                      else f"has no {noun} to import")


@dataclass
class Sheet:
    """The rows of a table, each as {field: cell} for the columns that were recognised."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def normalise(header: str) -> str:
    """A header or a choice as compared with the known names: lower case, letters and digits, without "the"
    ("Notified to the Panel" and "notified to panel" match)."""
    return " ".join(w for w in re.sub(r"[^a-z0-9]+", " ", header.lower()).split() if w != "the")


def read_sheet(path: Path, columns: Mapping[str, Sequence[str]], required: Sequence[str]) -> Sheet:
    """Read the first sheet (or the CSV file) whose first row names the columns. ``columns`` maps each field to
    the headers that mean it; a file missing a ``required`` field is refused with ``SheetError``, and so is one
    past the limits (``MAX_ROWS`` rows with something in them, ``MAX_COLUMNS`` columns, ``MAX_FILE_BYTES``), as
    soon as the limit is passed: the file is read once, never past it."""
    _check_file(path)
    table = _xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv(path)
    header_cells = next(table, None)
    if header_cells is None:
        raise SheetError(f"{path.name} is empty: the first row must name the columns")
    header = [str(h).strip() if h is not None else "" for h in header_cells]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise SheetError(f"{path.name} has {len(header):,} columns; at most {MAX_COLUMNS} can be read")
    known = {normalise(alias): name for name, aliases in columns.items() for alias in (name, *aliases)}
    where: dict[str, int] = {}
    sheet = Sheet()
    for i, h in enumerate(header):
        name = known.get(normalise(h))
        if name is None or name in where:
            if h:
                sheet.ignored_columns.append(h)
        else:
            where[name] = i
    missing = [f for f in required if f not in where]
    if missing:
        wanted = ", ".join(f"'{columns[f][0] if columns[f] else f}'" for f in missing)
        raise SheetError(f"{path.name} has no column for {wanted}: the first row must name the columns"
                         + _encoding_hint(header))
    for line, cells in enumerate(table, start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue  # blank rows between blocks are common in registers kept by hand
        if len(sheet.rows) == MAX_ROWS:
            raise SheetError(f"{path.name} has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} can be imported "
                             "at once")
        sheet.rows.append((line, {name: cells[i] if i < len(cells) else None for name, i in where.items()}))
    return sheet


def _check_file(path: Path) -> None:
    """``SheetError`` for what is not a file of a size this can read (a folder, a device, a huge file)."""
    if path.is_dir():
        raise SheetError(f"{path} is a folder, not a spreadsheet file")
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    if not path.is_file():
        raise SheetError(f"{path} is not a regular file (a device or a pipe), so it cannot be imported")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SheetError(f"{path.name} is {size / 1024 / 1024:,.0f} MB; at most {MAX_FILE_BYTES // 1024 // 1024} MB "
                         "can be imported")


def _encoding_hint(header: list[str]) -> str:
    """A hint for a header that reads like text in another encoding (its letters separated by NULs)."""
    return (": it looks like text saved in another encoding; save it as CSV UTF-8" if any("\0" in h for h in header)
            else "")


def _xlsx(path: Path) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook  # only when a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise
    except (InvalidFileException, BadZipFile, KeyError, ValueError, OSError) as e:
        raise SheetError(f"{path.name} is not an Excel workbook that can be read ({e})") from None
    try:
        ws = book.worksheets[0]
        declared_rows, declared_columns = ws.max_row, ws.max_column  # the sheet's stated size: read for free
        if declared_rows is not None and declared_rows > MAX_ROWS + 1:
            raise SheetError(f"{path.name} has {declared_rows - 1:,} rows; at most {MAX_ROWS:,} can be imported "
                             "at once")
        if declared_columns is not None and declared_columns > MAX_COLUMNS:
            raise SheetError(f"{path.name} has {declared_columns:,} columns; at most {MAX_COLUMNS} can be read")
        formulas = _has_formulas(path, getattr(ws, "_worksheet_path", ""))
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # files saved by other programs may state a wrong sheet size: read every row
        rows = ws.iter_rows(values_only=True)
        if not formulas:
            yield from (tuple(r) for r in rows)
            return
        formula_book = load_workbook(path, read_only=True, data_only=False)
        try:
            fs = formula_book.worksheets[0]
            if hasattr(fs, "reset_dimensions"):
                fs.reset_dimensions()
            for values, formulas_row in zip(rows, fs.iter_rows(values_only=True), strict=False):
                yield _mark_uncached(tuple(values), tuple(formulas_row))
        finally:
            formula_book.close()
    finally:
        book.close()


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(path: Path, part: str) -> bool:
    """Whether the worksheet ``part`` of the workbook holds any formula, found by scanning its XML as it is
    unzipped (far quicker than reading it again as cells; True when it cannot be told)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z, z.open(part.lstrip("/")) as f:
            tail = b""
            while chunk := f.read(1 << 20):
                if _FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    except (KeyError, OSError, zipfile.BadZipFile):
        return True
    return False


def _mark_uncached(values: tuple[Any, ...], formulas: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row whose gaps that are formulas become ``UncachedFormula`` (told as such) instead of empty cells (told
    as "is required")."""
    return tuple(UncachedFormula(str(f)) if v is None and isinstance(f, str) and f.startswith("=") else v
                 for v, f in zip(values, formulas, strict=False)) + values[len(formulas):]


def _csv(path: Path) -> Iterator[tuple[Any, ...]]:
    raw = path.read_bytes()
    text = _decoded(path, raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long note is one cell, not an error
    return (tuple(r) for r in csv.reader(io.StringIO(text, newline=""), dialect))  # keeps quoted line breaks


def _decoded(path: Path, raw: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without its mark), UTF-16 (as Excel's "Unicode text" saves it,
    told by its mark or its NULs), or the Windows ANSI code page Excel's plain CSV uses."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif raw[:200].count(b"\0") > len(raw[:200]) // 4:  # every other byte NUL: UTF-16 without its mark
        encodings = ("utf-16-le",) if raw[1:2] == b"\0" else ("utf-16-be",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(f"{path.name} is not a text file that can be read (save it as CSV UTF-8)")


@dataclass(frozen=True)
class UncachedFormula:
    """A workbook cell holding a formula and no stored value (the file was written by a program that does not
    calculate, or saved without calculating)."""

    formula: str


class Cells:
    """Parses the cells of one row, recording a problem for each that breaks its rule."""

    def __init__(self, line: int, cells: dict[str, Any], labels: Mapping[str, str],
                 problems: list[RowProblem]) -> None:
        self.line, self.cells, self.labels, self.problems = line, cells, labels, problems

    def problem(self, name: str, message: str) -> None:
        """Record a problem with field ``name``."""
        self.problems.append(RowProblem(self.line, self.labels.get(name, name), message))

    def text(self, name: str) -> str:
        """The cell as text ("" when empty). A formula (which a spreadsheet would run when the data is exported
        again) and a formula whose value the file does not hold are problems."""
        v = self.cells.get(name)
        if v is None:
            return ""
        if isinstance(v, UncachedFormula):
            self.problem(name, f"is a formula ({abbreviated(v.formula, 40)}) whose value the file does not hold: open the "
                               "file in Excel and save it again, or paste the values in place of the formulas")
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = without_bidi_controls(clean_text(str(v))).strip()
        if len(text) > MAX_CELL:
            self.problem(name, f"is {len(text):,} characters long; at most {MAX_CELL:,} can be imported in one cell")
            return ""
        if looks_like_formula(text):
            self.problem(name, f"'{abbreviated(text, 40)}' looks like a spreadsheet formula: type it as plain text (without "
                               "the leading =, +, - or @)")
            return ""
        return text

    def date(self, name: str) -> dt.date | None:
        """The cell as a date: an Excel date, or text as DD/MM/YYYY or YYYY-MM-DD; None when empty."""
        v = self.cells.get(name)
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        text = self.text(name)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            self.problem(name, f"'{text}' is not a date: use DD/MM/YYYY")
            return None

    def choice(self, name: str, choices: Mapping[str, str], synonyms: Mapping[str, str] | None = None) -> str:
        """The cell as one of ``choices`` (keys), matched by key, label or synonym, ignoring case; "" when empty."""
        text = self.text(name)
        if not text:
            return ""
        lookup = {normalise(k): k for k in choices} | {normalise(v): k for k, v in choices.items()}
        lookup |= {normalise(k): v for k, v in (synonyms or {}).items()}
        found = lookup.get(normalise(text))
        if found is None:
            self.problem(name, f"'{text}' is not one of: {', '.join(choices.values())}")
            return ""
        return found
