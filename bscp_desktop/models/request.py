"""Archive requests for reports no longer on the website, and the disclosure log of what went to whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped, relationship

from bscp_desktop.models.base import Base, Versioned
from bscp_desktop.models.review import Review
from bscp_desktop.schema import archive_request_reviews, archive_requests, disclosures


class ArchiveRequest(Versioned, Base):
    """A request for one or more archived publications, answered within the ``archive-request`` clock."""

    __table__ = archive_requests
    id: Mapped[int]
    reference: Mapped[str]
    received_date: Mapped[dt.date]
    channel: Mapped[str]
    requester_name: Mapped[str]
    organisation: Mapped[str]
    role: Mapped[str]
    email: Mapped[str]
    purpose: Mapped[str]
    status: Mapped[str]
    acknowledged_date: Mapped[dt.date | None]
    responded_date: Mapped[dt.date | None]
    decline_reason: Mapped[str]
    notes: Mapped[str]

    reviews: Mapped[list[Review]] = relationship(secondary=archive_request_reviews)


class Disclosure(Base):
    """One document version (by hash) released to a requester: the disclosure log. Never edited."""

    __table__ = disclosures
    id: Mapped[int]
    request_id: Mapped[int]
    document_id: Mapped[int | None]
    file_name: Mapped[str]
    sha256: Mapped[str]
    recipient: Mapped[str]
    released_at: Mapped[dt.datetime]
    released_by: Mapped[str]
