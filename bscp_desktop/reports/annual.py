"""Annual: for a financial year and the nine before it, notifications, Rapid Reviews, reviews commissioned per
year (the seed page's Chart 1) and child deaths against reviews (Chart 2) as bar charts, the ten-year average,
and the share of notifications and Rapid Reviews on time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from bscp_desktop.case_numbers import financial_year_bounds, financial_year_label, financial_year_start
from bscp_desktop.dates import uk
from bscp_desktop.reports.slippage_section import slippage_summary, slippage_table
from bscp_desktop.reports.template import (
    BOLD,
    FONT,
    ReportMeta,
    empty,
    gap,
    heading,
    para,
    summary_table,
    table,
    title_block,
)

TITLE = "Annual figures"
LANDSCAPE = False
BLUE, ORANGE = colors.HexColor("#2f6db5"), colors.HexColor("#d9822b")


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int], Any]], width: float = 180 * mm,
              height: float = 68 * mm) -> Drawing:
    """A vertical bar chart with a title, value labels and (for several series) a legend."""
    d = Drawing(width, height)
    d.add(String(0, height - 10, title, fontName=BOLD, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 26
    chart.width = width - 40  # type: ignore[assignment]  # points may be fractional (the stubs say int)
    chart.height = height - (64 if len(series) > 1 else 52)  # type: ignore[assignment]
    chart.data = [values for _, values, _ in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([v for _, vals, _ in series for v in vals] + [1])
    chart.valueAxis.valueMax = top + max(1, top // 8)
    chart.valueAxis.valueStep = max(1, round((top + 1) / 5))
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    for i, (_, _, colour) in enumerate(series):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    d.add(chart)
    if len(series) > 1:  # a key on its own line under the title: swatch, then label
        x = 0.0
        for name, _, colour in series:
            d.add(Rect(x, height - 24, 8, 8, fillColor=colour, strokeColor=None))  # type: ignore[arg-type]
            d.add(String(x + 11, height - 23, name, fontName=FONT, fontSize=7.5))
            x += stringWidth(name, FONT, 7.5) + 26
    return d


def percent(value: float | None) -> str:
    """A share as a whole percentage, or a dash."""
    return "—" if value is None else f"{value:.0%}"


def build(svc: Any, opts: Any, meta: ReportMeta) -> list[Flowable]:
    """The annual report for the financial year containing the end of the period (or the "as of" date)."""
    last = financial_year_start(opts.end or opts.as_of)
    figures = svc.reporting.annual(last)
    years = figures.years
    first_label, last_label = years[0].label, years[-1].label
    running = opts.as_of <= financial_year_bounds(last)[1]
    story: list[Flowable] = title_block(
        meta, f"Financial years {first_label} to {last_label} (1 April to 31 March)"
              + (f"; {last_label} to {uk(opts.as_of)}." if running else "."))
    avg = figures.average_commissioned
    story.append(summary_table([
        ("Reviews commissioned, ten-year average per year", f"{avg:.1f}"),
        ("Notifications made on time (5 working days)", percent(figures.share("notifications_on_time", "notifications"))),
        ("Rapid Reviews sent on time (15 working days)", percent(figures.share("rapid_reviews_on_time", "rapid_reviews"))),
    ], widths=(100 * mm, 30 * mm)))
    story += [gap(), heading("By financial year")]
    story.append(para("Reviews: commissioned (decision to undertake) and published in each year.", "small"))
    story += table(("Year", "Notifications", "on time", "Rapid Reviews", "on time", "Commissioned", "Published",
                    "Child deaths"),
                   [(y.label, y.notifications, y.notifications_on_time, y.rapid_reviews, y.rapid_reviews_on_time,
                     y.reviews_commissioned, y.reviews_published, "—" if y.child_deaths is None else y.child_deaths)
                    for y in years],
                   (24 * mm, 25 * mm, 17 * mm, 25 * mm, 17 * mm, 27 * mm, 25 * mm, 22 * mm), numeric=range(1, 8))
    labels = [financial_year_label(y.first_year) for y in years]
    story += [gap(), bar_chart("Chart 1 — Reviews commissioned per year", labels,
                                [("Reviews commissioned", [y.reviews_commissioned for y in years], BLUE)])]
    story.append(gap())
    if any(y.child_deaths is not None for y in years):
        story.append(bar_chart("Chart 2 — Child deaths compared with reviews commissioned", labels,
                               [("Child deaths", [y.child_deaths or 0 for y in years], ORANGE),
                                ("Reviews commissioned", [y.reviews_commissioned for y in years], BLUE)]))
        missing = [y.label for y in years if y.child_deaths is None]
        if missing:
            story.append(para(f"Child deaths not entered for {', '.join(missing)} (shown as 0).", "small"))
    else:
        story += [heading("Chart 2 — Child deaths compared with reviews commissioned"),
                  empty("No child death figures have been entered for these years (they come from the Child Death "
                        "Overview Panel), so Chart 2 cannot be drawn.")]
    return story + _publication(svc, opts, financial_year_bounds(years[0].first_year)[0],
                                min(financial_year_bounds(last)[1], opts.as_of))


def _publication(svc: Any, opts: Any, lo: dt.date, hi: dt.date) -> list[Flowable]:
    """LCSPRs published from ``lo`` to ``hi`` against the six-month target: the share on time, the commonest
    reasons for delay, and each review."""
    rows = [r for r in svc.slippage.rows(opts.as_of) if r.published and r.when and lo <= r.when <= hi]
    return [*slippage_summary(svc.slippage.summary(lo, hi, opts.as_of)),
            *slippage_table(rows, "LCSPRs published in these years, against the target",
                            "No LCSPR was published in these years.", portrait=True)]
