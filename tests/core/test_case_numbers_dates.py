"""Case references (modern and older forms), financial years and date parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from bscp_desktop.domain.case_numbers import (
    financial_year_bounds,
    financial_year_label,
    financial_year_start,
    format_reference,
    parse_reference,
)
from bscp_desktop.util.dates import parse_date, uk, uk_long


@pytest.mark.parametrize(
    ("text", "prefix", "year", "seq"),
    [
        ("BSCP2021-22/02", "BSCP", 2021, 2),
        ("BSCB 2015-16/04", "BSCB", 2015, 4),
        ("BDHR 2013 14/02", "BDHR", 2013, 2),
        ("BSCB 2016-17/1", "BSCB", 2016, 1),
        ("BSCP 2025/26-3", "BSCP", 2025, 3),
        ("BSCP1999-00/01", "BSCP", 1999, 1),
    ],
)
def test_parse_reference_keeps_text(text: str, prefix: str, year: int, seq: int) -> None:
    ref = parse_reference(text)
    assert (ref.prefix, ref.first_year, ref.sequence, ref.text) == (prefix, year, seq, text)


def test_canonical_form() -> None:
    assert parse_reference("BSCB 2015-16/4").canonical == "BSCB2015-16/04"
    assert format_reference("BSCP", 2025, 3) == "BSCP2025-26/03"


@pytest.mark.parametrize(
    ("text", "why"),
    [("2021-22/02", "not a case reference"), ("BSCP2021-23/02", "second year must follow"),
     ("BSCP2021-22/00", "numbering starts at 1"), ("", "not a case reference"), ("BSCP2021-22", "not a case")],
)
def test_bad_references(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_reference(text)


def test_financial_year_boundary() -> None:
    assert financial_year_start(dt.date(2026, 3, 31)) == 2025
    assert financial_year_start(dt.date(2026, 4, 1)) == 2026
    assert financial_year_label(2025) == "2025-26"
    assert financial_year_bounds(2025) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def test_parse_dates_both_forms() -> None:
    assert parse_date("2025-12-19") == dt.date(2025, 12, 19)
    assert parse_date("19/12/2025") == dt.date(2025, 12, 19)
    assert parse_date(" 1/2/2024 ") == dt.date(2024, 2, 1)
    with pytest.raises(ValueError, match="not a real calendar date"):
        parse_date("29/02/2025")
    with pytest.raises(ValueError, match="DD/MM/YYYY"):
        parse_date("12/19")


def test_uk_formatting() -> None:
    assert uk(dt.date(2025, 12, 8)) == "08/12/2025"
    assert uk(None, "—") == "—"
    assert uk_long(dt.date(2025, 12, 18)) == "Thursday 18 December 2025"
