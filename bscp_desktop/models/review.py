"""Reviews (LCSPR, legacy SCR, DHR, thematic, other) and the incidents each covers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped, relationship

from bscp_desktop.models.base import Base, Versioned
from bscp_desktop.models.incident import Incident
from bscp_desktop.models.reference_lists import Theme
from bscp_desktop.schema import publication_checklist, publication_holds, review_incidents, review_themes, reviews


class Review(Versioned, Base):
    """A review and its publication: one review may cover several incidents (a thematic review covers many).

    ``case_reference`` keeps the text as entered (``BSCB 2015-16/04``); ``status`` is the stored lifecycle
    state (commissioned, final report, published, unpublished); archived is computed from the publication date.
    """

    __table__ = reviews
    id: Mapped[int]
    kind: Mapped[str]
    case_reference: Mapped[str | None]
    title: Mapped[str]
    summary: Mapped[str]
    decision_date: Mapped[dt.date | None]
    reviewer: Mapped[str]
    planned_publication_date: Mapped[dt.date | None]
    final_report_date: Mapped[dt.date | None]
    advance_copy_date: Mapped[dt.date | None]
    publication_date: Mapped[dt.date | None]
    status: Mapped[str]
    unpublished_reason: Mapped[str]
    website_removed_date: Mapped[dt.date | None]
    national_repository_url: Mapped[str]
    notes: Mapped[str]
    created_at: Mapped[dt.datetime]
    # The earliest open clock (kept by the services on every flush) so registers filter by RAG in SQL.
    next_rule: Mapped[str]
    next_due: Mapped[dt.date | None]
    # What the review's publication holds add up to (kept by the services whenever a hold changes): calendar
    # days held by lifted holds, and while one is in force since when and of which kinds (their labels).
    held_days: Mapped[int]
    held_since: Mapped[dt.date | None]
    held_kinds: Mapped[str]
    # Why publication is later than the target (besides holds), and when the Panel was last told of the delay.
    delay_reason: Mapped[str]
    panel_told_on: Mapped[dt.date | None]

    incidents: Mapped[list[Incident]] = relationship(secondary=review_incidents)
    themes: Mapped[list[Theme]] = relationship(secondary=review_themes)


class PublicationHold(Versioned, Base):
    """A hold on a review's publication while parallel proceedings (a criminal trial, an inquest, family
    proceedings) run: from ``started`` until ``lifted``; ``expected_end`` is when it is expected to be lifted."""

    __table__ = publication_holds
    id: Mapped[int]
    review_id: Mapped[int]
    kind: Mapped[str]
    started: Mapped[dt.date]
    expected_end: Mapped[dt.date | None]
    reason: Mapped[str]
    lifted: Mapped[dt.date | None]
    recorded_by: Mapped[str]


class ChecklistEntry(Versioned, Base):
    """A pre-publication checklist step a member of staff recorded for a review: when and by whom."""

    __table__ = publication_checklist
    id: Mapped[int]
    review_id: Mapped[int]
    step: Mapped[str]
    done_on: Mapped[dt.date]
    done_by: Mapped[str]
    note: Mapped[str]
