"""Archive requests for reports no longer on the website, and the disclosure log of what went to whom."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text

from bscp_desktop.schema.base import UTCDateTime, metadata, utcnow

archive_requests = Table(
    "archive_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("received_date", Date, nullable=False, index=True),
    Column("channel", String(30), nullable=False, default="e-mail"),
    Column("requester_name", String(200), nullable=False),
    Column("organisation", String(200), nullable=False, default=""),
    Column("role", String(200), nullable=False, default=""),
    Column("email", String(254), nullable=False),
    Column("purpose", Text, nullable=False, default=""),
    Column("status", String(30), nullable=False, index=True),
    Column("acknowledged_date", Date, nullable=True),
    Column("responded_date", Date, nullable=True),
    Column("decline_reason", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)

archive_request_reviews = Table(
    "archive_request_reviews",
    metadata,
    Column("request_id", Integer, ForeignKey("archive_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id", ondelete="RESTRICT"), primary_key=True),
)

disclosures = Table(
    "disclosures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", Integer, ForeignKey("archive_requests.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL"), nullable=True),
    Column("file_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("released_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("released_by", String(100), nullable=False, default=""),
)
