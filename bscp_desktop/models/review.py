"""Reviews (LCSPR, legacy SCR, DHR, thematic, other) and the incidents each covers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bscp_desktop.models.base import Base, Versioned, utcnow
from bscp_desktop.models.incident import Incident
from bscp_desktop.models.reference_lists import Theme, review_themes

review_incidents = Table(
    "review_incidents",
    Base.metadata,
    Column("review_id", ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", ForeignKey("incidents.id", ondelete="RESTRICT"), primary_key=True),
)


class Review(Versioned, Base):
    """A review and its publication: one review may cover several incidents (a thematic review covers many).

    ``case_reference`` keeps the text as entered (``BSCB 2015-16/04``); ``status`` is the stored lifecycle
    state (commissioned, final report, published, unpublished); archived is computed from the publication date.
    """

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    case_reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    decision_date: Mapped[dt.date | None]
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    planned_publication_date: Mapped[dt.date | None]
    final_report_date: Mapped[dt.date | None]
    advance_copy_date: Mapped[dt.date | None]
    publication_date: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    unpublished_reason: Mapped[str] = mapped_column(Text, default="")
    website_removed_date: Mapped[dt.date | None]
    national_repository_url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The earliest open clock (kept by the services on every flush) so registers filter by RAG in SQL.
    next_rule: Mapped[str] = mapped_column(String(30), default="")
    next_due: Mapped[dt.date | None] = mapped_column(index=True)
    # What the review's publication holds add up to (kept by the services whenever a hold changes): calendar
    # days held by lifted holds, and while one is in force since when and of which kinds (their labels).
    held_days: Mapped[int] = mapped_column(default=0)
    held_since: Mapped[dt.date | None]
    held_kinds: Mapped[str] = mapped_column(String(100), default="")
    # Why publication is later than the target (besides holds), and when the Panel was last told of the delay.
    delay_reason: Mapped[str] = mapped_column(Text, default="")
    panel_told_on: Mapped[dt.date | None]

    incidents: Mapped[list[Incident]] = relationship(secondary=review_incidents)
    themes: Mapped[list[Theme]] = relationship(secondary=review_themes)


class PublicationHold(Versioned, Base):
    """A hold on a review's publication while parallel proceedings (a criminal trial, an inquest, family
    proceedings) run: from ``started`` until ``lifted``; ``expected_end`` is when it is expected to be lifted."""

    __tablename__ = "publication_holds"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    started: Mapped[dt.date]
    expected_end: Mapped[dt.date | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    lifted: Mapped[dt.date | None]
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class ChecklistEntry(Versioned, Base):
    """A pre-publication checklist step a member of staff recorded for a review: when and by whom."""

    __tablename__ = "publication_checklist"
    __table_args__ = (UniqueConstraint("review_id", "step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    done_on: Mapped[dt.date]
    done_by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
