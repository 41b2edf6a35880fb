"""Archive requests in the period: received, requester organisation, publication, status, due, responded, and
whether answered within the deadline; the share answered on time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bscp_desktop.render.template import ReportMeta, gap, heading, summary_table, table, title_block
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

LANDSCAPE = True


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The requests report."""
    start, end = opts.period()
    rows = svc.reporting.requests(start, end, opts.as_of)
    answered = [r for r in rows if r.responded is not None]
    on_time = sum(1 for r in answered if r.on_time)
    share = f"{on_time / len(answered):.0%}" if answered else "—"
    story: list[Flowable] = title_block(meta, f"Requests for archived publications received from {uk(start)} to "
                                              f"{uk(end)}, each due within the archive-request clock.")
    story.append(summary_table([("Requests received", f"{len(rows):,}"), ("Answered", f"{len(answered):,}"),
                                ("Answered on time", f"{on_time:,}"), ("Share answered on time", share)]))
    story += [gap(), heading("Requests")]
    story += table(("Reference", "Received", "Organisation", "Publication(s)", "Status", "Due", "Responded", "On time"),
                   [(r.reference, uk(r.received), r.organisation or "—", r.publications or "—", r.status, uk(r.due),
                     uk(r.responded, "—"), {True: "Yes", False: "No", None: "Open"}[r.on_time]) for r in rows],
                   (28 * mm, 22 * mm, 62 * mm, 56 * mm, 32 * mm, 22 * mm, 24 * mm, 23 * mm), wrap=(2, 3),
                   no_rows="No archive requests were received in the period.")
    return story
