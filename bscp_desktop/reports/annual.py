"""Annual: for a financial year and the nine before it, notifications, Rapid Reviews, reviews commissioned per
year (the seed page's Chart 1) and child deaths against reviews (Chart 2) as bar charts, the ten-year average,
and the share of notifications and Rapid Reviews on time."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from bscp_desktop.domain.case_numbers import financial_year_bounds, financial_year_label, financial_year_start
from bscp_desktop.render.blocks import Block, Facts, Grid, Heading, Text, to_flowables
from bscp_desktop.render.template import (
    BOLD,
    FONT,
    ReportMeta,
    empty,
    gap,
    heading,
    para,
    title_block,
)
from bscp_desktop.reports.slippage_section import slippage_summary_blocks, slippage_table_blocks
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

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


def subtitle(svc: Services, opts: ReportOptions) -> str:
    """The years the report covers."""
    last = financial_year_start(opts.end or opts.as_of)
    first_label, last_label = financial_year_label(last - 9), financial_year_label(last)
    running = opts.as_of <= financial_year_bounds(last)[1]
    return (f"Financial years {first_label} to {last_label} (1 April to 31 March)"
            + (f"; {last_label} to {uk(opts.as_of)}." if running else "."))


def _figures(figures: Any) -> list[Block]:
    """The ten-year summary and the figures of each year."""
    years = figures.years
    return [
        Facts((("Reviews commissioned, ten-year average per year", f"{figures.average_commissioned:.1f}"),
               ("Notifications made on time (5 working days)",
                percent(figures.share("notifications_on_time", "notifications"))),
               ("Rapid Reviews sent on time (15 working days)",
                percent(figures.share("rapid_reviews_on_time", "rapid_reviews")))), (100, 30), figures=True),
        Heading("By financial year"),
        Text("Reviews: commissioned (decision to undertake) and published in each year.", small=True),
        Grid(("Year", "Notifications", "on time", "Rapid Reviews", "on time", "Commissioned", "Published",
              "Child deaths"),
             tuple((y.label, *(f"{n:,}" for n in (y.notifications, y.notifications_on_time, y.rapid_reviews,
                                                   y.rapid_reviews_on_time, y.reviews_commissioned,
                                                   y.reviews_published)),
                    "—" if y.child_deaths is None else f"{y.child_deaths:,}") for y in years),
             (24, 25, 17, 25, 17, 27, 25, 22), numeric=tuple(range(1, 8)), wrap=()),
    ]


def _children(svc: Services, last: int) -> list[Block]:
    """Notifications and children per year, and the children by the characteristics the DfE publishes."""
    got = svc.characteristics.children_notified(last)
    rows: list[tuple[str, ...]] = [("Notifications", *(f"{n:,}" for n in got.notifications)),
                                   ("Children", *(f"{n:,}" for n in got.children))]
    for b in got.breakdowns:
        rows.append((b.characteristic, *("" for _ in got.years)))
        rows += [(f"   {label}", *(f"{n:,}" for n in counts)) for label, counts in b.values]
    return [Heading("Children notified, by characteristic"),
            Text("One notification can cover several children: each child is counted once, in the year of the "
                 "notification.", small=True),
            Grid(("", *(label[2:] for label in got.labels)), tuple(rows), (52, *(13 for _ in got.years)),
                 numeric=tuple(range(1, len(got.years) + 1)), wrap=())]


def _publication(svc: Services, opts: ReportOptions, lo: dt.date, hi: dt.date) -> list[Block]:
    """LCSPRs published from ``lo`` to ``hi`` against the six-month target: the share on time, the commonest
    reasons for delay, and each review."""
    rows = [r for r in svc.slippage.rows(opts.as_of) if r.published and r.when and lo <= r.when <= hi]
    return [*slippage_summary_blocks(svc.slippage.summary(lo, hi, opts.as_of)),
            *slippage_table_blocks(rows, "LCSPRs published in these years, against the target",
                                   "No LCSPR was published in these years.", portrait=True)]


def _after_charts(svc: Services, opts: ReportOptions, last: int) -> list[Block]:
    """What follows the charts: the children by characteristic and publication against the target."""
    lo = financial_year_bounds(last - 9)[0]
    return _children(svc, last) + _publication(svc, opts, lo, min(financial_year_bounds(last)[1], opts.as_of))


def blocks(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Block]:
    """The report's content for the Word version: the figures of Charts 1 and 2 are in the table of each year
    (the charts themselves are drawn in the PDF)."""
    last = financial_year_start(opts.end or opts.as_of)
    return [*_figures(svc.reporting.annual(last)),
            Text("Charts 1 and 2 (reviews commissioned per year; child deaths against reviews) are drawn in the "
                 "PDF version of this report from the figures above.", small=True),
            *_after_charts(svc, opts, last)]


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The annual report for the financial year containing the end of the period (or the "as of" date)."""
    last = financial_year_start(opts.end or opts.as_of)
    figures = svc.reporting.annual(last)
    years = figures.years
    story: list[Flowable] = [*title_block(meta, subtitle(svc, opts)), *to_flowables(_figures(figures))]
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
    return [*story, gap(), *to_flowables(_after_charts(svc, opts, last))]
