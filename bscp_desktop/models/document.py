"""Documents (reports, briefing notes, presentations, evidence) and the "Learning Lessons" briefing notes.

A document's bytes live in ``document_contents``, a separate table, so that listing documents never reads them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped, deferred

from bscp_desktop.models.base import Base, Versioned
from bscp_desktop.schema import briefing_notes, document_contents, documents


class Document(Versioned, Base):
    """A stored file: its kind, names, size and SHA-256; attached to a review, a briefing note or an action."""

    __table__ = documents
    id: Mapped[int]
    review_id: Mapped[int | None]
    briefing_note_id: Mapped[int | None]
    action_id: Mapped[int | None]
    kind: Mapped[str]
    title: Mapped[str]
    file_name: Mapped[str]
    media_type: Mapped[str]
    size: Mapped[int]
    sha256: Mapped[str]
    added_at: Mapped[dt.datetime]
    added_by: Mapped[str]


class DocumentContent(Base):
    """The bytes of one document."""

    __table__ = document_contents
    document_id: Mapped[int]
    data: Mapped[bytes] = deferred(document_contents.c.data)


class BriefingNote(Versioned, Base):
    """A "Learning Lessons" briefing note, linked to its review when known."""

    __table__ = briefing_notes
    id: Mapped[int]
    title: Mapped[str]
    review_id: Mapped[int | None]
    publication_date: Mapped[dt.date | None]
