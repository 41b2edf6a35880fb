"""Reading a spreadsheet that staff already keep (Excel ``.xlsx`` through openpyxl, or CSV) into rows of named
cells, and the cell parsers the importers share: each returns the value or records a problem naming the row,
the column and the rule, so one pass reports everything wrong with a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self
from zipfile import BadZipFile

from bscp_desktop.dates import parse_date
from bscp_desktop.formulas import looks_like_formula
from bscp_desktop.services.errors import ValidationError
from bscp_desktop.text import clean_text

MAX_ROWS = 100_000
MAX_CELL = 100_000  # characters in one cell: a long narrative fits; a runaway paste does not


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
    problems: tuple[RowProblem, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there is something to import and nothing wrong."""
        return bool(self.rows) and not self.problems

    @classmethod
    def checked(cls, source: Path, rows: Sequence[R], problems: Sequence[RowProblem], sheet: Sheet,
                **more: Any) -> Self:
        """A plan from a checked sheet, its problems in row order."""
        return cls(source, tuple(rows), tuple(sorted(problems, key=lambda p: p.line)),
                   tuple(sheet.ignored_columns), **more)

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
    the headers that mean it; a file missing a ``required`` field is refused with ``SheetError``."""
    table = _xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv(path)
    if not table:
        raise SheetError(f"{path.name} is empty: the first row must name the columns")
    known = {normalise(alias): name for name, aliases in columns.items() for alias in (name, *aliases)}
    header = [str(h).strip() if h is not None else "" for h in table[0]]
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
        raise SheetError(f"{path.name} has no column for {wanted}: the first row must name the columns")
    for line, cells in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue  # blank rows between blocks are common in registers kept by hand
        sheet.rows.append((line, {name: cells[i] if i < len(cells) else None for name, i in where.items()}))
    if len(sheet.rows) > MAX_ROWS:
        raise SheetError(f"{path.name} has {len(sheet.rows):,} rows; at most {MAX_ROWS:,} can be imported at once")
    return sheet


def _xlsx(path: Path) -> list[tuple[Any, ...]]:
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
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # files saved by other programs may state a wrong sheet size: read every row
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    if any(v is None for r in rows for v in r):
        rows = _mark_uncached_formulas(path, rows)
    return rows


def _mark_uncached_formulas(path: Path, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Read the formulas of a workbook whose values have gaps: a gap that is a formula becomes
    ``UncachedFormula`` (told as such) instead of an empty cell (told as "is required")."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        ws = book.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        out = []
        for values, formulas in zip(rows, ws.iter_rows(values_only=True), strict=False):
            out.append(tuple(UncachedFormula(str(f)) if v is None and isinstance(f, str) and f.startswith("=")
                             else v for v, f in zip(values, formulas, strict=False)) + values[len(formulas):])
        return out + rows[len(out):]
    finally:
        book.close()


def _csv(path: Path) -> list[tuple[Any, ...]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):  # Excel on Windows saves CSV in the ANSI code page
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError(f"{path.name} is not a text file that can be read")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long note is one cell, not an error
    return [tuple(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]  # keeps quoted line breaks


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
            self.problem(name, f"is a formula ({v.formula[:40]}) whose value the file does not hold: open the "
                               "file in Excel and save it again, or paste the values in place of the formulas")
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = clean_text(str(v)).strip()
        if len(text) > MAX_CELL:
            self.problem(name, f"is {len(text):,} characters long; at most {MAX_CELL:,} can be imported in one cell")
            return ""
        if looks_like_formula(text):
            self.problem(name, f"'{text[:40]}' looks like a spreadsheet formula: type it as plain text (without "
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
