"""The demo's archive requests made workable end to end: open requests at every state, a stored document for
each publication they ask for (a one-page PDF that says it is a fictional stand-in, never a copy of the real
report), and for each fulfilled request the disclosure log of what was released, to whom and when."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bscp_desktop.domain.vocab import DocumentKind, RequestStatus
from bscp_desktop.models import Document, Review

# The states the first requests are put in, so that every one can be tried (the rest keep their drawn state).
SHOWN_STATES = (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED, RequestStatus.CONSIDERING,
                RequestStatus.FULFILLED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN)
RELEASED_BY = "Review Officer 1"


def every_state(rows: list[dict[str, Any]], as_of: dt.date, cal: Any) -> None:
    """Put the newest requests in each state in turn (received in the last few days for the open ones), their
    dates kept in order; the random draws that made them are unchanged."""
    newest = sorted(rows, key=lambda r: r["received_date"], reverse=True)[:len(SHOWN_STATES)]
    for place, (row, status) in enumerate(zip(newest, SHOWN_STATES, strict=False)):
        if not status.finished:  # received in the last few days: its clock runs, not yet overdue
            row["received_date"] = as_of - dt.timedelta(days=1 + place)
        row["status"] = status
        acknowledged = cal.add(row["received_date"], 1)  # the next working day, or the day itself if that is to come
        row["acknowledged_date"] = None if status == RequestStatus.RECEIVED else (
            acknowledged if acknowledged <= as_of else row["received_date"])
        row["responded_date"] = min(cal.add(row["received_date"], 5), as_of) if status.finished else None
        row["decline_reason"] = "The review was not published." if status == RequestStatus.DECLINED else ""


def stand_in_pdf(title: str, reference: str) -> bytes:
    """A one-page PDF standing in for a published report in the demo, saying so."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(f"{reference} (demo stand-in)")
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 760, "Demo register: a fictional stand-in document")
    page.setFont("Helvetica", 11)
    for i, line in enumerate((f"Publication: {reference}", title[:90],
                              "This file is not the published report. It stands in for it so that an archive",
                              "request can be fulfilled in the demo register.")):
        page.drawString(72, 730 - 18 * i, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def release_rows(s: Session, requests: Sequence[dict[str, Any]], links: Sequence[dict[str, Any]],
                 at: dt.datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for ``documents`` and ``document_contents`` (a stand-in report for each publication asked for that
    has no document yet) and ``disclosures`` (each fulfilled request's documents, released on its response
    date to its requester)."""
    asked = sorted({link["review_id"] for link in links})
    held = set(s.scalars(select(Document.review_id).where(Document.review_id.in_(asked)))) if asked else set()
    start = (s.scalar(select(func.max(Document.id))) or 0) + 1
    docs: list[dict[str, Any]] = []
    contents: list[dict[str, Any]] = []
    by_review: dict[int, dict[str, Any]] = {}
    for review_id, reference, title in s.execute(select(Review.id, Review.case_reference, Review.title)
                                                 .where(Review.id.in_([r for r in asked if r not in held]))):
        data = stand_in_pdf(title or "", reference or f"review {review_id}")
        doc = {"id": start + len(docs), "review_id": review_id, "briefing_note_id": None, "action_id": None,
               "kind": DocumentKind.REPORT.value, "title": f"{title} (demo stand-in)"[:300],
               "file_name": f"{(reference or str(review_id)).replace('/', '-').replace(' ', '-')}-report.pdf",
               "media_type": "application/pdf", "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
               "added_at": at, "added_by": RELEASED_BY, "version": 1}
        docs.append(doc)
        contents.append({"document_id": doc["id"], "data": data})
        by_review[review_id] = doc
    disclosures = []
    for request in requests:
        if request["status"] != RequestStatus.FULFILLED or request["responded_date"] is None:
            continue
        for link in links:
            released = by_review.get(link["review_id"]) if link["request_id"] == request["id"] else None
            if released is not None:
                disclosures.append({"request_id": request["id"], "document_id": released["id"],
                                    "file_name": released["file_name"], "sha256": released["sha256"],
                                    "recipient": request["email"], "released_by": RELEASED_BY,
                                    "released_at": dt.datetime.combine(request["responded_date"], dt.time(10),
                                                                       dt.UTC)})
    return docs, contents, disclosures
