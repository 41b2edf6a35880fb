"""The six rules and RAG, at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from bscp_desktop.domain.rules import (
    RULES,
    Rag,
    add_months,
    amber_window_end,
    due_date,
    get_rule,
    rag,
    working_days_left,
)
from bscp_desktop.domain.working_days import WorkingCalendar

D = dt.date
CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("rule", "start", "due"),
    [
        ("notification", D(2025, 12, 19), D(2025, 12, 30)),
        ("rapid-review", D(2025, 12, 30), D(2026, 1, 21)),  # 15 WD: 1 Jan is skipped
        ("lcspr-publication", D(2025, 8, 31), D(2026, 2, 28)),  # month-end clamps
        ("lcspr-publication", D(2023, 8, 31), D(2024, 2, 29)),  # leap year
        ("advance-copy", D(2026, 1, 8), D(2025, 12, 29)),
        ("archive", D(2024, 2, 29), D(2027, 2, 28)),  # 29 February + 3 years
        ("archive", D(2025, 12, 18), D(2028, 12, 18)),
        ("archive-request", D(2025, 12, 1), D(2025, 12, 31)),  # 20 WD across Christmas
    ],
)
def test_due_dates(rule: str, start: dt.date, due: dt.date) -> None:
    assert due_date(rule, start, CAL) == due


def test_amount_override() -> None:
    assert due_date("notification", D(2025, 12, 19), CAL, amount=3) == D(2025, 12, 24)
    assert due_date("archive", D(2024, 2, 29), CAL, amount=4) == D(2028, 2, 29)


def test_unknown_rule_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="notification, rapid-review"):
        get_rule("notify")


def test_every_rule_has_basis_and_default() -> None:
    assert set(RULES) == {"notification", "rapid-review", "lcspr-publication", "advance-copy", "archive",
                          "archive-request", "agency-return"}
    assert RULES["agency-return"].describe() == "+5 working days" and RULES["agency-return"].basis == "partnership practice"
    assert RULES["advance-copy"].describe() == "−7 working days"
    assert RULES["lcspr-publication"].describe(9) == "+9 months"


def test_add_months_clamps() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)


class TestRag:
    due = D(2025, 12, 30)  # a Tuesday

    def test_met_on_or_before_due(self) -> None:
        assert rag(self.due, D(2025, 12, 30), D(2026, 3, 1), CAL) is Rag.MET
        assert rag(self.due, D(2025, 12, 22), D(2026, 3, 1), CAL) is Rag.MET

    def test_met_after_due_is_late(self) -> None:
        assert rag(self.due, D(2025, 12, 31), D(2026, 3, 1), CAL) is Rag.MET_LATE

    def test_overdue_the_day_after(self) -> None:
        assert rag(self.due, None, D(2025, 12, 31), CAL) is Rag.OVERDUE

    def test_due_today_is_amber(self) -> None:
        assert rag(self.due, None, D(2025, 12, 30), CAL) is Rag.DUE

    def test_amber_window_counts_today(self) -> None:
        # As of Wed 24 Dec, the window is 24, 29, 30 Dec (25–28 skipped): 30 Dec is due, 31 Dec on track.
        assert amber_window_end(D(2025, 12, 24), CAL) == D(2025, 12, 30)
        assert rag(self.due, None, D(2025, 12, 24), CAL) is Rag.DUE
        assert rag(D(2025, 12, 31), None, D(2025, 12, 24), CAL) is Rag.ON_TRACK

    def test_amber_window_from_a_weekend(self) -> None:
        # As of Sat 20 Dec: the next three working days are 22, 23, 24 Dec.
        assert amber_window_end(D(2025, 12, 20), CAL) == D(2025, 12, 24)
        assert rag(self.due, None, D(2025, 12, 20), CAL) is Rag.ON_TRACK

    def test_amber_window_setting(self) -> None:
        assert rag(self.due, None, D(2025, 12, 24), CAL, amber_days=1) is Rag.ON_TRACK

    def test_working_days_left_and_over(self) -> None:
        assert working_days_left(self.due, D(2025, 12, 19), CAL) == 5
        assert working_days_left(self.due, D(2026, 1, 2), CAL) == -2


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31)), st.integers(min_value=-600, max_value=600))
def test_add_months_agrees_with_dateutil(d: dt.date, months: int) -> None:
    assert add_months(d, months) == d + relativedelta(months=months)
