"""Spreadsheet formula injection (OWASP "CSV injection"): text that a spreadsheet would run as a formula.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken by Excel as a formula
(``=HYPERLINK(...)`` can send data away). Exports neutralise such text; imports refuse it, so that it cannot
come back out through another program.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)*%?")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it: a leading apostrophe before anything that would start
    a formula (a plain signed number, such as ``-3``, is left as it is)."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def looks_like_formula(text: str) -> bool:
    """True when a cell read from a file would run as a formula in a spreadsheet (``=SUM(A1)``, ``@cmd``,
    ``+HYPERLINK(...)``), not when it is a signed number or a dash used as a bullet (``- see notes``)."""
    stripped = text.lstrip("\t\r")
    if not stripped or _NUMBER.fullmatch(stripped):
        return False
    if stripped[0] in "=@":
        return True
    return stripped[0] in "+-" and len(stripped) > 1 and not stripped[1].isspace() and not stripped[1] == stripped[0]
