"""Annual figures: child deaths per financial year (entered from the Child Death Overview Panel) and optional
national figures, beside the counts the register gives; and the shares the seed page states ("2.7 a year …
1.6 % of England's reviews against 2 % of its child population"), computed, not typed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services.core.base import Manager, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.reporting.reporting import AnnualYear

_FIELDS = ["child_deaths", "national_reviews", "child_population_share"]


@dataclass(frozen=True)
class YearFigures:
    """One financial year: counted figures and entered ones."""

    counted: AnnualYear
    child_deaths: int | None
    national_reviews: int | None
    child_population_share: float | None  # percent of England's children living in the area
    version: int | None


@dataclass(frozen=True)
class Statistics:
    """Ten years of figures and what they add up to."""

    years: tuple[YearFigures, ...]
    average_commissioned: float
    local_share_of_reviews: float | None  # percent, over the years with a national total
    child_population_share: float | None  # percent, the average of the years entered
    notifications_on_time: float | None  # fraction
    rapid_reviews_on_time: float | None  # fraction

    def sentence(self) -> str:
        """The seed page's statement, from the figures."""
        text = f"Over these {len(self.years)} years an average of {self.average_commissioned:.1f} reviews a year " \
               "were commissioned"
        if self.local_share_of_reviews is not None:
            text += f", {self.local_share_of_reviews:.1f} % of the reviews undertaken in England"
            if self.child_population_share is not None:
                text += f", when the area has {self.child_population_share:.1f} % of England's child population"
        return text + "."


class AnnualManager(Manager):
    """Annual figures."""

    def statistics(self, last_year: int, years: int = 10) -> Statistics:
        """Figures for ``last_year`` and the years before it."""
        from bscp_desktop.models import AnnualFigure

        counted = self.svc.reporting.annual(last_year, years)
        with self.db.read() as s:
            entered = {fy: (deaths, national, share, version) for fy, deaths, national, share, version in s.execute(
                select(AnnualFigure.first_year, AnnualFigure.child_deaths, AnnualFigure.national_reviews,
                       AnnualFigure.child_population_share, AnnualFigure.version)
                .where(AnnualFigure.first_year >= last_year - years + 1, AnnualFigure.first_year <= last_year))}
        rows = tuple(YearFigures(y, *entered.get(y.first_year, (None, None, None, None))) for y in counted.years)
        with_national = [r for r in rows if r.national_reviews]
        local_share = (100.0 * sum(r.counted.reviews_commissioned for r in with_national)
                       / sum(r.national_reviews or 0 for r in with_national)) if with_national else None
        shares = [r.child_population_share for r in rows if r.child_population_share is not None]
        return Statistics(rows, counted.average_commissioned, local_share,
                          sum(shares) / len(shares) if shares else None,
                          counted.share("notifications_on_time", "notifications"),
                          counted.share("rapid_reviews_on_time", "rapid_reviews"))

    @requires(Role.EDITOR, "enter a year's figures")
    def set_year(self, first_year: int, child_deaths: int | None, national_reviews: int | None = None,
                 child_population_share: float | None = None) -> Op[None]:
        """Enter (or correct) one financial year's figures; audited."""
        from bscp_desktop.models import AnnualFigure

        c = Checker()
        c.require(1990 <= first_year <= 2080, "Financial year", "is out of range")
        c.require(child_deaths is None or 0 <= child_deaths <= 100_000, "Child deaths", "must be 0 or more")
        c.require(national_reviews is None or 0 <= national_reviews <= 100_000, "Reviews in England",
                  "must be 0 or more")
        c.require(child_population_share is None or 0 < child_population_share <= 100, "Share of England's children",
                  "must be a percentage above 0 and at most 100")
        c.raise_if_any()
        with self.db.write() as s:
            row = s.scalar(select(AnnualFigure).where(AnnualFigure.first_year == first_year))
            before = snapshot(row, _FIELDS) if row else None
            if row is None:
                row = AnnualFigure(first_year=first_year)
                s.add(row)
            row.child_deaths, row.national_reviews = child_deaths, national_reviews
            row.child_population_share = child_population_share
            s.flush()
            self.audit(s, "set annual figures", "annual_figures", first_year, f"{first_year}", before,
                       snapshot(row, _FIELDS))
        return Op(None, Changes().add("reference"))
