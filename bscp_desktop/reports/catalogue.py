"""Catalogue: every publication with reference, title, publication date, status (published, or archived and the
archive date, or not published), the documents held, and the briefing notes under their review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from bscp_desktop.domain.vocab import REVIEW_KINDS, CatalogueStatus
from bscp_desktop.render.template import (
    ReportMeta,
    escape,
    gap,
    heading,
    italic,
    styles,
    summary_table,
    table,
    title_block,
)
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.reports import ReportOptions
    from bscp_desktop.services import Services

LANDSCAPE = True


def status_text(e: Any) -> str:
    """"Published (archive date 18/12/2028)", "Archived on 10/10/2026", "Not published"."""
    if e.status == CatalogueStatus.UNPUBLISHED:
        return "Not published"
    if e.status == CatalogueStatus.ARCHIVED:
        return f"Archived on {uk(e.archive_date)}" if e.archive_date else "Archived (publication date not recorded)"
    return f"Published (archive date {uk(e.archive_date)})"


def build(svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]:
    """The catalogue report."""
    entries = svc.reporting.catalogue(opts.as_of)
    loose = svc.reporting.unlinked_briefing_notes()
    cell = styles()["cell"]
    story: list[Flowable] = title_block(meta, f"Every published review and its status as of {uk(opts.as_of)}. After "
                                              "three years a report is archived: off the website, available on request.")
    n = {s: sum(1 for e in entries if e.status == s) for s in CatalogueStatus}
    notes = sum(len(e.briefing_notes) for e in entries) + len(loose)
    story.append(summary_table([("On the website", f"{n[CatalogueStatus.PUBLISHED]:,}"),
                                ("Archived", f"{n[CatalogueStatus.ARCHIVED]:,}"),
                                ("Not published", f"{n[CatalogueStatus.UNPUBLISHED]:,}"),
                                ("Briefing notes", f"{notes:,}")]))
    story += [gap(), heading("Publications")]
    rows = []
    italic()  # briefing notes, and "none held", are set in italics
    for e in entries:
        text = f"<b>{escape(e.title)}</b>" + "".join(f"<br/><i>Briefing note: {escape(b)}</i>" for b in e.briefing_notes)
        rows.append((e.reference, Paragraph(text, cell), REVIEW_KINDS.get(e.kind, e.kind), uk(e.publication_date, "—"),
                     status_text(e), uk(e.removed, "—"),
                     Paragraph("<br/>".join(escape(d) for d in e.documents) or "<i>none held</i>", cell)))
    story += table(("Reference", "Title and briefing notes", "Kind", "Published", "Status", "Off the website",
                    "Documents held"), rows, (28 * mm, 82 * mm, 28 * mm, 20 * mm, 42 * mm, 20 * mm, 49 * mm),
                   wrap=(2, 4), no_rows="The catalogue is empty.")
    story += [gap(), heading("“Learning Lessons” briefing notes not linked to a review")]
    story += table(("Title",), [(t,) for t in loose], (269 * mm,), wrap=(0,),
                   no_rows="Every briefing note is linked to its review.")
    return story
