"""The partnership's own settings and figures: settings, closure days, annual figures, and the counters that
number cases gap-free."""

from __future__ import annotations

from sqlalchemy import Column, Date, Double, Integer, String, Table, Text

from bscp_desktop.schema.base import metadata

settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)

closure_days = Table(
    "closure_days",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False, unique=True),
    Column("description", String(200), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)

annual_figures = Table(
    "annual_figures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_year", Integer, nullable=False, unique=True),
    Column("child_deaths", Integer, nullable=True),
    Column("national_reviews", Integer, nullable=True),
    Column("child_population_share", Double, nullable=True),
    Column("version", Integer, nullable=False, default=1),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("value", Integer, nullable=False, default=0),
)
