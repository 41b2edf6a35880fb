"""Parsing and formatting of dates as the unit writes them: ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY`` in,
UK ``DD/MM/YYYY`` out. Pure functions, no Qt."""

from __future__ import annotations

import datetime as dt
import re

from bscp_desktop.util.words import counted

# ASCII digits only: "２０２５-０１-０１" (full-width) or Arabic-Indic digits are refused, not read as a date.
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$", re.ASCII)
_UK = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$", re.ASCII)

# No date the register records (an incident, a request, a closure) is older: the first year the working
# calendar covers (calendar.FIRST_YEAR; a test keeps the two equal).
EARLIEST = dt.date(1990, 1, 1)


def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (also ``DD.MM.YYYY``) into a date.

    Raises ``ValueError`` with a message fit to show a user when the text is neither form or is not a real
    calendar date (31/02/2025, say).
    """
    m = _ISO.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _UK.match(text)
        if not m:
            raise ValueError(f"'{text.strip()}' is not a date: use DD/MM/YYYY or YYYY-MM-DD")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a real calendar date") from None


def uk(d: dt.date | None, empty: str = "") -> str:
    """A date as the UK writes it, ``18/12/2025``; ``empty`` for no date."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}" if d else empty  # as strftime("%d/%m/%Y"), in a third of the time


def uk_long(d: dt.date | None, empty: str = "") -> str:
    """A date in words for headings and letters, ``Thursday 18 December 2025``."""
    return f"{d.strftime('%A')} {d.day} {d.strftime('%B %Y')}" if d else empty


def days_text(days: int | None, met: bool = False, overdue: bool = False) -> str:
    """"3 working days left", "2 working days over", "due today". ``overdue`` (the clock's RAG) keeps the words
    and the colour together when no working day has passed since the due date (a Friday deadline seen at the
    weekend is overdue, not due today)."""
    if days is None:
        return ""
    if met:
        if days == 0:
            return "on the due day"
        return f"{counted(abs(days), 'working day')} {'late' if days > 0 else 'early'}"
    if days == 0:
        return "overdue since the last working day" if overdue else "due today"
    return f"{counted(abs(days), 'working day')} {'left' if days > 0 else 'over'}"
