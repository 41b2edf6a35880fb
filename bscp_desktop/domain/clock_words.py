"""A clock's state in words, said one way on every surface: the form, the timeline, the registers, the
dashboard, the deadlines report, the calendar export and the ``export`` command all take their words from here,
so a Friday deadline seen on a Sunday reads "overdue since the last working day" everywhere, never "due today"
beside an Overdue RAG."""

from __future__ import annotations

from bscp_desktop.domain.rules import Rag
from bscp_desktop.util.dates import days_text


def clock_state(rag: Rag, days: int, held: str = "") -> str:
    """How the clock stands, for a cell beside its RAG: "5 working days left", "due today", "2 working days
    over", "overdue since the last working day" (due on the last working day, with none since), "on hold:
    Inquest since 02/03/2026" (``held``: what holds it, and since when), "2 working days late" for a met one."""
    if rag is Rag.ON_HOLD:
        return f"on hold: {held}" if held else "on hold"
    return days_text(days, met=rag in (Rag.MET, Rag.MET_LATE), overdue=rag is Rag.OVERDUE)


def clock_text(rag: Rag | None, days: int, held: str = "") -> str:
    """The RAG and the state in one cell, as a register's RAG column shows a case's earliest open clock: "On
    track (5 working days left)", "Due today", "Overdue (2 working days over)", "Overdue since the last working
    day", "On hold (Inquest since 02/03/2026)"; "—" when no clock runs."""
    if rag is None:
        return "—"
    if rag is Rag.ON_HOLD:
        return f"On hold ({held or 'publication held'})"
    state = clock_state(rag, days)
    if days == 0 and rag in (Rag.DUE, Rag.OVERDUE):  # the words alone say it
        return state[:1].upper() + state[1:]
    return f"{rag.value} ({state})"
