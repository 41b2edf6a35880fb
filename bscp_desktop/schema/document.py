"""Documents (reports, briefing notes, presentations, evidence) and the "Learning Lessons" briefing notes. A
document's bytes live in ``document_contents``, a separate table, so that listing documents never reads them."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, LargeBinary, String, Table

from bscp_desktop.schema.base import UTCDateTime, metadata, utcnow

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("briefing_note_id", Integer, ForeignKey("briefing_notes.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("action_id", Integer, ForeignKey("actions.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("kind", String(30), nullable=False),
    Column("title", String(300), nullable=False, default=""),
    Column("file_name", String(300), nullable=False),
    Column("media_type", String(100), nullable=False, default="application/octet-stream"),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("added_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("added_by", String(100), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)

document_contents = Table(
    "document_contents",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("data", LargeBinary, nullable=True),
)

briefing_notes = Table(
    "briefing_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(300), nullable=False, unique=True),
    Column("review_id", Integer, ForeignKey("reviews.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("publication_date", Date, nullable=True),
    Column("version", Integer, nullable=False, default=1),
)
