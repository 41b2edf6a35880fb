"""Counting words in messages."""

from __future__ import annotations

import pytest

from bscp_desktop.util.dates import days_text
from bscp_desktop.util.words import counted


@pytest.mark.parametrize(("n", "expected"), [(0, "0 incidents"), (1, "1 incident"), (2, "2 incidents"),
                                             (12_345, "12,345 incidents")])
def test_counted(n: int, expected: str) -> None:
    assert counted(n, "incident") == expected


def test_counted_with_an_irregular_plural() -> None:
    assert (counted(1, "child", "children"), counted(3, "child", "children")) == ("1 child", "3 children")


@pytest.mark.parametrize(("days", "met", "expected"), [
    (1, False, "1 working day left"), (-3, False, "3 working days over"), (0, False, "due today"),
    (2, True, "2 working days late"), (-1, True, "1 working day early"), (0, True, "on the due day"),
    (1_200, False, "1,200 working days left"),
])
def test_days_text(days: int, met: bool, expected: str) -> None:
    assert days_text(days, met) == expected
