"""Archive requests for reports no longer on the website, and the disclosure log of what went to whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bscp_desktop.models.base import Base, Versioned, utcnow
from bscp_desktop.models.review import Review

archive_request_reviews = Table(
    "archive_request_reviews",
    Base.metadata,
    Column("request_id", ForeignKey("archive_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("review_id", ForeignKey("reviews.id", ondelete="RESTRICT"), primary_key=True),
)


class ArchiveRequest(Versioned, Base):
    """A request for one or more archived publications, answered within the ``archive-request`` clock."""

    __tablename__ = "archive_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    received_date: Mapped[dt.date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(30), default="e-mail")
    requester_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), index=True)
    acknowledged_date: Mapped[dt.date | None]
    responded_date: Mapped[dt.date | None]
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    reviews: Mapped[list[Review]] = relationship(secondary=archive_request_reviews)


class Disclosure(Base):
    """One document version (by hash) released to a requester: the disclosure log. Never edited."""

    __tablename__ = "disclosures"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("archive_requests.id", ondelete="RESTRICT"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(254))
    released_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    released_by: Mapped[str] = mapped_column(String(100), default="")
