"""The partnership's own settings and figures: settings, closure days, annual figures, and the counters that
number cases gap-free."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped

from bscp_desktop.models.base import Base, Versioned
from bscp_desktop.schema import annual_figures, closure_days, counters, settings


class Setting(Versioned, Base):
    """One partnership setting, its value as text (JSON for structured values)."""

    __table__ = settings
    key: Mapped[str]
    value: Mapped[str]


class ClosureDay(Versioned, Base):
    """A day the partnership's office is closed: clocks skip it like a bank holiday."""

    __table__ = closure_days
    id: Mapped[int]
    day: Mapped[dt.date]
    description: Mapped[str]


class AnnualFigure(Versioned, Base):
    """Figures entered per financial year: child deaths (from the Child Death Overview Panel) and optional
    national totals for the share computations."""

    __table__ = annual_figures
    id: Mapped[int]
    first_year: Mapped[int]
    child_deaths: Mapped[int | None]
    national_reviews: Mapped[int | None]
    child_population_share: Mapped[float | None]


class Counter(Base):
    """A named counter (``incident:2025`` …) incremented inside the writing transaction, so references are
    distinct and gap-free even with several writers: the UPDATE takes the write lock first."""

    __table__ = counters
    name: Mapped[str]
    value: Mapped[int]
