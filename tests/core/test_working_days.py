"""Working days: bank holidays (Christmas, Easter, substitutes, the 2022–23 one-offs), weekends, closures."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bscp_desktop.domain.working_days import OutOfRange, WorkingCalendar

D = dt.date
CAL = WorkingCalendar()


def test_design_example_across_christmas() -> None:
    # Fri 19 Dec 2025 + 5: 22, 23, 24, (25, 26 bank holidays, 27–28 weekend) 29, 30.
    assert CAL.add(D(2025, 12, 19), 5) == D(2025, 12, 30)


def test_christmas_on_a_weekend_uses_substitute_days() -> None:
    # 25 and 26 Dec 2021 fell on Sat/Sun: Mon 27 and Tue 28 were the substitute days.
    assert not CAL.is_working_day(D(2021, 12, 27))
    assert not CAL.is_working_day(D(2021, 12, 28))
    assert CAL.add(D(2021, 12, 24), 1) == D(2021, 12, 29)
    # New Year's Day 2022 was a Saturday: Monday 3 January was the bank holiday.
    assert CAL.add(D(2021, 12, 31), 1) == D(2022, 1, 4)


def test_boxing_day_substitute_2026() -> None:
    assert not CAL.is_working_day(D(2026, 12, 28))
    assert CAL.add(D(2026, 12, 24), 1) == D(2026, 12, 29)


def test_easter() -> None:
    # Easter 2025: Good Friday 18 April, Easter Monday 21 April.
    assert CAL.add(D(2025, 4, 17), 1) == D(2025, 4, 22)
    assert CAL.add(D(2025, 4, 16), 5) == D(2025, 4, 25)
    assert CAL.why_not_working(D(2025, 4, 18)) == "Good Friday"


def test_2022_and_2023_one_off_holidays() -> None:
    # Platinum Jubilee: spring bank holiday moved to Thu 2 June, extra holiday Fri 3 June 2022.
    assert CAL.add(D(2022, 6, 1), 1) == D(2022, 6, 6)
    assert CAL.is_working_day(D(2022, 5, 30))  # the usual last Monday of May was a working day
    # State Funeral of Queen Elizabeth II, Mon 19 September 2022.
    assert CAL.add(D(2022, 9, 16), 1) == D(2022, 9, 20)
    # Coronation of King Charles III, Mon 8 May 2023.
    assert not CAL.is_working_day(D(2023, 5, 8))


def test_weekend_start_does_not_count() -> None:
    # The start day never counts: from Saturday or Sunday, day 1 is Monday.
    assert CAL.add(D(2025, 11, 15), 1) == D(2025, 11, 17)
    assert CAL.add(D(2025, 11, 16), 1) == D(2025, 11, 17)
    assert CAL.add(D(2025, 11, 16), 5) == D(2025, 11, 21)


def test_holiday_start_does_not_count() -> None:
    assert CAL.add(D(2025, 12, 25), 1) == D(2025, 12, 29)


def test_counting_backwards() -> None:
    # 7 working days before Thu 8 Jan 2026: 7, 6, 5, 2 (1 Jan holiday), 31, 30, 29 Dec.
    assert CAL.add(D(2026, 1, 8), -7) == D(2025, 12, 29)


def test_closure_days_are_skipped_with_their_reason() -> None:
    cal = WorkingCalendar({D(2025, 12, 29): "Office closed between Christmas and New Year"})
    assert cal.add(D(2025, 12, 19), 5) == D(2025, 12, 31)
    assert cal.why_not_working(D(2025, 12, 29)) == "Office closed between Christmas and New Year"
    assert CAL.add(D(2025, 12, 19), 5) == D(2025, 12, 30)  # the shared calendar is unaffected


def test_between_counts_working_days_after_start() -> None:
    assert CAL.between(D(2025, 12, 19), D(2025, 12, 30)) == 5
    assert CAL.between(D(2025, 12, 30), D(2025, 12, 19)) == -5
    assert CAL.between(D(2025, 12, 19), D(2025, 12, 19)) == 0


def test_skipped_lists_each_non_working_day() -> None:
    skipped = CAL.skipped(D(2025, 12, 19), D(2025, 12, 30))
    assert [(s.date.day, s.reason) for s in skipped] == [
        (20, "Saturday"), (21, "Sunday"), (25, "Christmas Day"), (26, "Boxing Day"), (27, "Saturday"), (28, "Sunday"),
    ]


def test_out_of_range_is_a_clear_error() -> None:
    with pytest.raises(OutOfRange, match="outside the years"):
        CAL.add(D(1900, 1, 1), 5)


@given(st.dates(min_value=D(1995, 1, 1), max_value=D(2070, 12, 31)), st.integers(min_value=1, max_value=60))
def test_add_lands_on_the_nth_working_day(start: dt.date, n: int) -> None:
    due = CAL.add(start, n)
    assert due > start
    assert CAL.is_working_day(due)
    assert CAL.between(start, due) == n
    assert CAL.add(due, -n) <= start or not CAL.is_working_day(start)
    assert due.weekday() < 5 and due not in CAL.bank_holidays


def test_bank_holiday_cache_in_the_frozen_program(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the bundle the ``holidays`` package is inside the program's archive (its module has no file of its own):
    the cache is keyed by the program's version instead, and works the same."""
    import importlib.machinery
    from pathlib import Path

    from bscp_desktop import __version__
    from bscp_desktop.domain.working_days import bank_holidays
    from bscp_desktop.store import holiday_cache

    archived = importlib.machinery.ModuleSpec("holidays", None, origin=str(Path(str(tmp_path)) / "no" / "__init__.py"))
    monkeypatch.setattr(holiday_cache, "find_spec", lambda _name: archived)
    monkeypatch.setenv("BSCP_CACHE_DIR", str(Path(str(tmp_path)) / "c"))
    assert __version__ in holiday_cache.installed_holidays()
    assert holiday_cache.cached_bank_holidays() == bank_holidays() and holiday_cache.cache_file().exists()
    assert holiday_cache.cached_bank_holidays() == bank_holidays()  # read back from the file


def test_bank_holiday_cache(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    from pathlib import Path

    from bscp_desktop.domain.working_days import bank_holidays
    from bscp_desktop.store.holiday_cache import cache_file, cached_bank_holidays

    monkeypatch.setenv("BSCP_CACHE_DIR", str(Path(str(tmp_path)) / "c"))
    first = cached_bank_holidays()
    assert first == bank_holidays() and cache_file().exists()
    data = json.loads(cache_file().read_text())
    data["days"]["2025-12-19"] = "Made-up day"  # a file matching the key is trusted…
    cache_file().write_text(json.dumps(data))
    assert cached_bank_holidays()[D(2025, 12, 19)] == "Made-up day"
    data["key"] = "holidays 0.0 1990-2080"  # …one from another version of holidays is rebuilt
    cache_file().write_text(json.dumps(data))
    assert D(2025, 12, 19) not in cached_bank_holidays()
    cache_file().write_text("not json")  # a damaged file is rebuilt
    assert cached_bank_holidays() == bank_holidays()
    cal = WorkingCalendar(holidays_=cached_bank_holidays())
    assert cal.add(D(2025, 12, 19), 5) == D(2025, 12, 30)
