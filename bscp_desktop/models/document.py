"""Documents (reports, briefing notes, presentations, evidence) and the "Learning Lessons" briefing notes.

A document's bytes live in ``document_contents``, a separate table, so that listing documents never reads them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from bscp_desktop.models.base import Base, Versioned, utcnow


class Document(Versioned, Base):
    """A stored file: its kind, names, size and SHA-256; attached to a review, a briefing note or an action."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    briefing_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("briefing_notes.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300), default="")
    file_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str] = mapped_column(String(100), default="")


class DocumentContent(Base):
    """The bytes of one document."""

    __tablename__ = "document_contents"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class BriefingNote(Versioned, Base):
    """A "Learning Lessons" briefing note, linked to its review when known."""

    __tablename__ = "briefing_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), unique=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"), index=True)
    publication_date: Mapped[dt.date | None]
