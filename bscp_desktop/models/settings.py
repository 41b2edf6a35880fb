"""The partnership's own settings and figures: settings, closure days, annual figures, and the counters that
number cases gap-free."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bscp_desktop.models.base import Base, Versioned


class Setting(Versioned, Base):
    """One partnership setting, its value as text (JSON for structured values)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ClosureDay(Versioned, Base):
    """A day the partnership's office is closed: clocks skip it like a bank holiday."""

    __tablename__ = "closure_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")


class AnnualFigure(Versioned, Base):
    """Figures entered per financial year: child deaths (from the Child Death Overview Panel) and optional
    national totals for the share computations."""

    __tablename__ = "annual_figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    first_year: Mapped[int] = mapped_column(unique=True)
    child_deaths: Mapped[int | None]
    national_reviews: Mapped[int | None]
    child_population_share: Mapped[float | None]


class Counter(Base):
    """A named counter (``incident:2025`` …) incremented inside the writing transaction, so references are
    distinct and gap-free even with several writers: the UPDATE takes the write lock first."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
