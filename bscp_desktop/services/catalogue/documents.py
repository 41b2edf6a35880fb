"""Documents stored in the database: adding a file (size, SHA-256, a duplicate recognised), reading it back,
writing a copy out, removing it. Part of the catalogue (``svc.catalogue`` delegates here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from bscp_desktop.domain.vocab import DOCUMENT_KINDS, DocumentKind, Role
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, DuplicateDocument, NotFound, ValidationError
from bscp_desktop.services.core.permissions import requires

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bscp_desktop.models import Document

MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class DocumentView:
    """A stored document's metadata."""

    id: int
    version: int
    review_id: int | None
    briefing_note_id: int | None
    kind: str
    title: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: dt.datetime
    added_by: str

    @property
    def kind_label(self) -> str:
        """The kind as staff read it."""
        return DOCUMENT_KINDS.get(self.kind, self.kind)


def guess_kind(path: Path) -> str:
    """A document kind from a file name: slides are presentations, "brief…" a briefing note, "press…" a press
    statement, anything else a report."""
    name = path.name.lower()
    if path.suffix.lower() in (".ppt", ".pptx", ".odp"):
        return DocumentKind.PRESENTATION
    if "brief" in name:
        return DocumentKind.BRIEFING_NOTE
    if "press" in name:
        return DocumentKind.PRESS_STATEMENT
    return DocumentKind.REPORT


def view_of(d: Document) -> DocumentView:
    """A detached view of a document row."""
    return DocumentView(d.id, d.version, d.review_id, d.briefing_note_id, d.kind, d.title, d.file_name, d.media_type,
                        d.size, d.sha256, d.added_at, d.added_by)


@dataclass(frozen=True)
class FilesAdded:
    """The outcome of adding several files: those stored, and those refused with the reason."""

    stored: tuple[DocumentView, ...]
    refused: tuple[tuple[Path, ValidationError], ...]

    @property
    def duplicates(self) -> tuple[tuple[Path, DuplicateDocument], ...]:
        """The refused files whose content is already stored (they may be added again on purpose)."""
        return tuple((p, e) for p, e in self.refused if isinstance(e, DuplicateDocument))


class DocumentManager(Manager):
    """The documents of reviews and briefing notes."""

    @requires(Role.EDITOR, "add a document")
    def add(self, path: Path, kind: str, title: str = "", review_id: int | None = None,
            briefing_note_id: int | None = None, allow_duplicate: bool = False) -> Op[DocumentView]:
        """Store the file at ``path``. A file already stored (same SHA-256) is refused with a message naming where
        it is, unless ``allow_duplicate``."""
        from bscp_desktop.models import Document, DocumentContent

        c = Checker()
        c.require(kind in DOCUMENT_KINDS, "Kind", f"must be one of: {', '.join(DOCUMENT_KINDS.values())}")
        c.require((review_id is None) != (briefing_note_id is None), "Publication",
                  "choose the review or the briefing note the document belongs to")
        data: bytes | None = None
        try:
            if path.stat().st_size > MAX_BYTES:
                c.require(False, "File", f"{path.name} is larger than {MAX_BYTES // 2**20} MB")
            else:
                data = path.read_bytes()
        except OSError as e:
            c.require(False, "File", f"{path.name} cannot be read: {e.strerror or e}")
        if data is not None:
            c.require(len(data) > 0, "File", f"{path.name} is empty")
        c.raise_if_any()
        assert data is not None
        digest = hashlib.sha256(data).hexdigest()
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        with self.db.write() as s:
            owner = self._owner_label(s, review_id, briefing_note_id)
            if not allow_duplicate:
                same = s.scalar(select(Document).where(Document.sha256 == digest))
                if same is not None:
                    raise DuplicateDocument(path.name, same.file_name,
                                            self._owner_label(s, same.review_id, same.briefing_note_id))
            doc = Document(review_id=review_id, briefing_note_id=briefing_note_id, kind=kind,
                           title=title.strip() or path.stem, file_name=path.name, media_type=media, size=len(data),
                           sha256=digest, added_by=self.svc.user)
            s.add(doc)
            s.flush()
            s.add(DocumentContent(document_id=doc.id, data=data))
            self.audit(s, "add document", "document", doc.id, f"{path.name} to {owner}", None,
                       {"file_name": path.name, "sha256": digest, "size": len(data), "owner": owner})
            view = view_of(doc)
        return Op(view, Changes().add("catalogue", review_id or 0))

    @requires(Role.EDITOR, "add documents")
    def add_files(self, paths: Sequence[Path], kind: str | None, review_id: int | None = None,
                  briefing_note_id: int | None = None, allow_duplicate: bool = False) -> Op[FilesAdded]:
        """Store several files on a review or a briefing note, each in its own transaction (one refused file
        does not stop the others), of ``kind`` or, when None, the kind each file's name suggests. Returns what
        was stored and what was refused, and why."""
        stored: list[DocumentView] = []
        refused: list[tuple[Path, ValidationError]] = []
        changes = Changes()
        for path in paths:
            try:
                op = self.add(path, kind or guess_kind(path), review_id=review_id, briefing_note_id=briefing_note_id,
                              allow_duplicate=allow_duplicate)
            except ValidationError as e:
                refused.append((path, e))
            else:
                stored.append(op.value)
                changes.ids.setdefault("catalogue", set()).update(op.changes.ids.get("catalogue", set()))
        return Op(FilesAdded(tuple(stored), tuple(refused)), changes)

    def get(self, document_id: int) -> DocumentView:
        """One document's metadata."""
        from bscp_desktop.models import Document

        with self.db.read() as s:
            return view_of(self.load(s, Document, "document", document_id))

    def for_review(self, review_id: int) -> list[DocumentView]:
        """The documents of a review and of its briefing notes."""
        from bscp_desktop.models import BriefingNote, Document

        with self.db.read() as s:
            notes = select(BriefingNote.id).where(BriefingNote.review_id == review_id)
            docs = s.scalars(select(Document).where((Document.review_id == review_id)
                                                    | Document.briefing_note_id.in_(notes)).order_by(Document.id))
            return [view_of(d) for d in docs]

    def for_briefing_note(self, note_id: int) -> list[DocumentView]:
        """The documents of one briefing note."""
        from bscp_desktop.models import Document

        with self.db.read() as s:
            return [view_of(d) for d in s.scalars(select(Document).where(Document.briefing_note_id == note_id)
                                                  .order_by(Document.id))]

    def data(self, document_id: int) -> bytes:
        """The document's bytes, checked against its SHA-256."""
        from bscp_desktop.models import Document, DocumentContent

        with self.db.read() as s:
            doc = self.load(s, Document, "document", document_id)
            content = s.get(DocumentContent, document_id)
            if content is None:
                raise NotFound("document content", document_id)
            data = content.data
            if hashlib.sha256(data).hexdigest() != doc.sha256:
                raise ValidationError.one("File", f"{doc.file_name} no longer matches its SHA-256: it is damaged")
            return data

    def temporary_copy(self, document_id: int) -> Path:
        """Write the document into the program's private temporary folder, readable by the user alone and removed
        when the program closes (for opening with the system's viewer)."""
        from bscp_desktop.store.private_temp import private_file

        doc = self.get(document_id)
        return private_file(doc.file_name, self.data(document_id))

    def save_copy(self, document_id: int, dest: Path) -> Path:
        """Write the document to ``dest`` (a file path); ``ValidationError`` when it cannot be written."""
        data = self.data(document_id)
        try:
            dest.write_bytes(data)
        except OSError as e:
            raise ValidationError.one("Save to", f"{dest} cannot be written: {e.strerror or e}") from None
        return dest

    @requires(Role.EDITOR, "remove a document")
    def remove(self, document_id: int, version: int) -> Op[None]:
        """Remove a document (its disclosure records keep the name and hash of what was sent)."""
        from bscp_desktop.models import Document

        with self.db.write() as s:
            doc = self.load(s, Document, "document", document_id, version)
            self.audit(s, "remove document", "document", doc.id, doc.file_name,
                       {"file_name": doc.file_name, "sha256": doc.sha256}, None)
            rid = doc.review_id
            s.delete(doc)
        return Op(None, Changes().add("catalogue", rid or 0))

    @staticmethod
    def _owner_label(s: Session, review_id: int | None, note_id: int | None) -> str:
        from bscp_desktop.models import BriefingNote, Review

        if review_id is not None:
            ref = s.scalar(select(Review.case_reference).where(Review.id == review_id))
            if ref is None:
                raise NotFound("review", review_id)
            return ref
        title = s.scalar(select(BriefingNote.title).where(BriefingNote.id == note_id))
        if title is None:
            raise NotFound("briefing note", note_id or 0)
        return f"briefing note “{title}”"
