"""Holds on a review's publication (criminal proceedings, an inquest, family proceedings): pure functions over
dates (docs/ARCHITECTURE.md, "Conventions").

Counting convention: a hold runs from the day it started up to, but not including, the day it was lifted, so a
hold started on 1 March and lifted on 11 March held the review for 10 calendar days. Holds that overlap count
each day once. The LCSPR publication target moves on by the calendar days held by holds already lifted; while a
hold is in force the clock is "On hold", never overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class HoldSpan:
    """One hold's dates: ``lifted`` None while it is in force."""

    started: dt.date
    lifted: dt.date | None
    kind: str = ""


@dataclass(frozen=True)
class HoldState:
    """What a review's holds add up to: the calendar days held by lifted holds (``days_held``), and, while one
    is in force, since when the review has been held without a break (``since``) and the kinds of the holds in
    force (``kinds``)."""

    days_held: int = 0
    since: dt.date | None = None
    kinds: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        """True while a hold is in force."""
        return self.since is not None


def _merged(spans: list[tuple[dt.date, dt.date | None]]) -> list[tuple[dt.date, dt.date | None]]:
    """Intervals [start, end) merged where they overlap or touch; an end of None runs on."""
    out: list[tuple[dt.date, dt.date | None]] = []
    for start, end in sorted(spans, key=lambda s: s[0]):
        if out:
            last_start, last_end = out[-1]
            if last_end is None or start <= last_end:
                new_end = None if last_end is None or end is None else max(last_end, end)
                out[-1] = (last_start, new_end)
                continue
        out.append((start, end))
    return out


def hold_state(holds: Iterable[HoldSpan]) -> HoldState:
    """The days held by lifted holds, and the hold in force, if any (several in force: since the earliest of the
    unbroken run, with every kind)."""
    spans = list(holds)
    merged = _merged([(h.started, h.lifted) for h in spans])
    days = sum((end - start).days for start, end in merged if end is not None)
    open_run = next((start for start, end in merged if end is None), None)
    kinds = tuple(dict.fromkeys(h.kind for h in spans if h.lifted is None))
    if open_run is None:
        return HoldState(days)
    return HoldState(days, open_run, kinds)


def days_held_by(holds: Iterable[HoldSpan], day: dt.date) -> int:
    """Calendar days held before ``day`` (holds still in force count up to ``day``)."""
    capped = [(h.started, min(h.lifted, day) if h.lifted else day) for h in holds if h.started < day]
    return sum((end - start).days for start, end in _merged(list(capped)) if end is not None and end > start)
