"""Export cells: what the workbook holds for each kind of text the registers show."""

from __future__ import annotations

import datetime as dt

import pytest

from bscp_desktop.services.registers.export import cell_value


@pytest.mark.parametrize(("text", "numeric", "expected"), [
    ("03/06/2026", False, dt.date(2026, 6, 3)),  # UK order: 3 June, not 6 March
    ("31/02/2026", False, "31/02/2026"),         # not a real date: kept as typed
    ("1,234", True, 1234),
    ("-7", True, -7),
    ("1,234", False, "1,234"),                   # only numeric columns hold numbers
    ("SI2026-27/001", False, "SI2026-27/001"),
    ("", False, ""),
    ("12 over", True, "12 over"),
])
def test_cell_value(text: str, numeric: bool, expected: object) -> None:
    assert cell_value(text, numeric) == expected
