"""Case references and financial years.

A review's case reference is a prefix, a UK financial year (1 April–31 March) and a sequence:
``BSCP2021-22/02``. Older forms parse too (``BSCB 2015-16/04``, ``BDHR 2013 14/02``, ``BSCB 2016-17/1``):
``/``, ``-`` and space are all accepted as separators, and the text is kept exactly as entered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_REF = re.compile(
    r"^\s*(?P<prefix>[A-Za-z]{2,10})[\s-]*(?P<y1>\d{4})\s*[-/ ]\s*(?P<y2>\d{2}|\d{4})\s*[-/ ]\s*(?P<seq>\d{1,4})\s*$"
)


@dataclass(frozen=True)
class CaseReference:
    """A parsed case reference; ``text`` is what was entered, unchanged."""

    prefix: str
    first_year: int
    sequence: int
    text: str

    @property
    def financial_year(self) -> str:
        """The financial year as written in references, ``2021-22``."""
        return financial_year_label(self.first_year)

    @property
    def canonical(self) -> str:
        """The modern form, ``BSCP2021-22/02``, for sorting and matching."""
        return format_reference(self.prefix, self.first_year, self.sequence)


def parse_reference(text: str) -> CaseReference:
    """Parse a case reference; ``ValueError`` saying what is wrong when it is not one."""
    m = _REF.match(text or "")
    if not m:
        raise ValueError(
            f"'{(text or '').strip()}' is not a case reference: expected a prefix, a financial year and a "
            "number, such as BSCP2021-22/02"
        )
    y1 = int(m["y1"])
    y2 = int(m["y2"])
    if y2 % 100 != (y1 + 1) % 100:
        raise ValueError(
            f"'{text.strip()}' has the financial year {m['y1']}-{m['y2']}: the second year must follow the first"
        )
    seq = int(m["seq"])
    if seq < 1:
        raise ValueError(f"'{text.strip()}' has sequence number 0: numbering starts at 1")
    return CaseReference(m["prefix"].upper(), y1, seq, text.strip())


def financial_year_start(d: dt.date) -> int:
    """The calendar year in which the financial year containing ``d`` began (1 April)."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year_label(first_year: int) -> str:
    """``2021`` → ``2021-22``."""
    return f"{first_year}-{(first_year + 1) % 100:02d}"


def financial_year_bounds(first_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the financial year that begins in ``first_year``."""
    return dt.date(first_year, 4, 1), dt.date(first_year + 1, 3, 31)


def format_reference(prefix: str, first_year: int, sequence: int, width: int = 2) -> str:
    """``BSCP``, 2021, 2 → ``BSCP2021-22/02``."""
    return f"{prefix}{financial_year_label(first_year)}/{sequence:0{width}d}"
