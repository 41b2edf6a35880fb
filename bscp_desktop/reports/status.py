"""Status: every open case by lifecycle stage with its key dates and days in stage; counts per stage; each LCSPR
against its publication target with the reason for any delay; cases closed in the period."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bscp_desktop.domain.vocab import STAGES, Stage
from bscp_desktop.render.template import ReportMeta, audit_anchor, gap, heading, summary_table, table, title_block
from bscp_desktop.reports.slippage_section import slippage_table
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

LANDSCAPE = True


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The status report."""
    start, end = opts.period()
    rows = svc.reporting.status(opts.as_of)
    closed = svc.reporting.closed_between(start, end)
    story: list[Flowable] = title_block(meta, f"Open cases by lifecycle stage as of {uk(opts.as_of)}; cases closed "
                                              f"from {uk(start)} to {uk(end)}.")
    counts = [(label, f"{sum(1 for r in rows if r.stage == key):,}") for key, label in STAGES.items()
              if key != Stage.CLOSED]
    story.append(summary_table([*counts, ("Open cases", f"{len(rows):,}"), ("Closed in the period", f"{len(closed):,}")]))
    story += [gap(), heading("Open cases")]
    story += table(
        ("Reference", "Pseudonym", "Stage", "Became aware", "Notified", "Rapid Review sent", "Decision",
         "Review", "In stage since", "Days in stage"),
        [(r.reference, r.pseudonym, r.stage_label, uk(r.became_aware), uk(r.notified, "—"), uk(r.rr_sent, "—"),
          uk(r.decision_date, "—"), r.reviews or "—", uk(r.stage_since), f"{r.days_in_stage:,}") for r in rows],
        (30 * mm, 26 * mm, 33 * mm, 24 * mm, 22 * mm, 30 * mm, 22 * mm, 30 * mm, 24 * mm, 23 * mm), numeric=(9,),
        no_rows="There are no open cases.")
    slips = [r for r in svc.slippage.rows(opts.as_of) if not r.published or (r.when and start <= r.when <= end)]
    story += slippage_table(slips, "LCSPRs against the publication target",
                            "No LCSPR is awaiting publication or was published in the period.")
    story += [gap(), heading(f"Closed from {uk(start)} to {uk(end)}")]
    story += table(("Reference", "Pseudonym", "Closed", "Reason"),
                   [(c.reference, c.pseudonym, uk(c.closed), c.reason) for c in closed],
                   (32 * mm, 30 * mm, 24 * mm, 183 * mm), wrap=(3,), no_rows="No cases were closed in the period.")
    story += audit_anchor(svc)
    return story
