"""Working days in England and Wales, as docs/ARCHITECTURE.md ("Conventions") fixes them.

A working day is Monday–Friday that is neither an England & Wales bank holiday (the ``holidays`` package,
country GB, ``subdiv="ENG"``: substitute "observed" days and one-off proclaimed days included) nor a closure
day the partnership has entered. "N working days after D" is the N-th working day strictly after D, whatever
day D is; "N before D" the N-th strictly before.

The calendar precomputes a sorted list of working-day ordinals over a fixed span of years, so that every
question is one or two ``bisect`` calls: recomputing the clocks of 100 000 cases takes a fraction of a second.
Instances are immutable and safe to share between threads.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

FIRST_YEAR = 1990
LAST_YEAR = 2080


@lru_cache(maxsize=4)
def bank_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> Mapping[dt.date, str]:
    """England & Wales bank holidays in the span, date → name (cached; the mapping must not be changed)."""
    import holidays  # imported when needed: start-up usually reads them from the store's cache

    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class NonWorkingDay:
    """A day a clock skips, and why: "Saturday", "Sunday", a bank holiday's name or a closure's reason."""

    date: dt.date
    reason: str


class OutOfRange(ValueError):
    """A date, or a count of working days from it, falls outside the years the calendar covers."""


class WorkingCalendar:
    """Working days from ``first_year`` to ``last_year``: bank holidays plus the partnership's closure days.

    ``closures`` maps each closure day to its description (an iterable of dates is accepted too).
    """

    def __init__(
        self,
        closures: Mapping[dt.date, str] | Iterable[dt.date] = (),
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
        holidays_: Mapping[dt.date, str] | None = None,
    ) -> None:
        """``holidays_`` supplies the span's bank holidays already computed (from a cache); by default they are
        computed with the ``holidays`` package."""
        self.first_year = first_year
        self.last_year = last_year
        self.closures: dict[dt.date, str] = (
            dict(closures) if isinstance(closures, Mapping) else {d: "Closure day" for d in closures}
        )
        self.bank_holidays = holidays_ if holidays_ is not None else bank_holidays(first_year, last_year)
        self._ords: list[int] = _working_ordinals(first_year, last_year, frozenset(self.closures),
                                                  frozenset(self.bank_holidays))
        self._first = dt.date(first_year, 1, 1).toordinal()
        self._last = dt.date(last_year, 12, 31).toordinal()

    @property
    def working_ordinals(self) -> list[int]:
        """Every working day of the span as a proleptic ordinal, ascending (read-only: for bulk bisecting)."""
        return self._ords

    # -- single questions -------------------------------------------------------------------------------
    def is_working_day(self, d: dt.date) -> bool:
        """True when ``d`` is a working day."""
        o = self._check(d)
        i = bisect_left(self._ords, o)
        return i < len(self._ords) and self._ords[i] == o

    def add(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after ``d`` (n > 0) or strictly before it (n < 0); ``d`` for n = 0."""
        return dt.date.fromordinal(self.add_ordinal(self._check(d), n))

    def add_ordinal(self, o: int, n: int) -> int:
        """``add`` on proleptic ordinals, for bulk work; the ordinal must lie in the span."""
        if n == 0:
            return o
        if n > 0:
            i = bisect_right(self._ords, o) + n - 1
        else:
            i = bisect_left(self._ords, o) + n
        if i < 0 or i >= len(self._ords):
            raise OutOfRange(f"{n} working days from {dt.date.fromordinal(o)} leaves {self.first_year}–{self.last_year}")
        return self._ords[i]

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``; negative, counting ``(end, start]``, when end is before start."""
        return self.between_ordinals(self._check(start), self._check(end))

    def between_ordinals(self, a: int, b: int) -> int:
        """``between`` on ordinals, for bulk work."""
        return bisect_right(self._ords, b) - bisect_right(self._ords, a)

    def skipped(self, start: dt.date, end: dt.date) -> list[NonWorkingDay]:
        """The non-working days strictly after ``start`` up to ``end`` (or the reverse span), each with why."""
        lo, hi = (start, end) if start <= end else (end, start)
        out: list[NonWorkingDay] = []
        d = lo + dt.timedelta(days=1)
        while d <= hi:
            why = self.why_not_working(d)
            if why:
                out.append(NonWorkingDay(d, why))
            d += dt.timedelta(days=1)
        return out

    def why_not_working(self, d: dt.date) -> str | None:
        """Why ``d`` is not a working day (bank holiday name, closure reason, weekday name), or None."""
        if d in self.bank_holidays:
            return self.bank_holidays[d]
        if d in self.closures:
            return self.closures[d] or "Closure day"
        if d.weekday() >= 5:
            return d.strftime("%A")
        return None

    def holidays_in(self, year: int) -> list[NonWorkingDay]:
        """The bank holidays of one calendar year, in date order."""
        return [NonWorkingDay(d, n) for d, n in self.bank_holidays.items() if d.year == year]

    def _check(self, d: dt.date) -> int:
        o = d.toordinal()
        if not self._first <= o <= self._last:
            raise OutOfRange(f"{d.isoformat()} is outside the years {self.first_year}–{self.last_year}")
        return o


@lru_cache(maxsize=16)
def _working_ordinals(first_year: int, last_year: int, closures: frozenset[dt.date],
                      holidays_: frozenset[dt.date]) -> list[int]:
    off = {d.toordinal() for d in holidays_ | closures}  # compared as numbers: no date made per day
    first = dt.date(first_year, 1, 1).toordinal()
    last = dt.date(last_year, 12, 31).toordinal()
    # date.fromordinal(o).weekday() == (o + 6) % 7: Monday is 0.
    return [o for o in range(first, last + 1) if (o + 6) % 7 < 5 and o not in off]
