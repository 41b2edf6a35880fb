"""Fulfilling an archive request: one action writes a release folder with the exact stored documents asked
for, a cover letter PDF listing each with its SHA-256, and an ``.eml`` draft to the requester with those files
attached (the user opens and sends it from their own mail program: nothing is sent from here), then records the
request as fulfilled and logs each disclosure. All or nothing: a folder that cannot be completed is removed and
nothing is recorded; a database failure afterwards removes the folder."""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import re
import shutil
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from bscp_desktop.domain.vocab import RequestStatus, Role
from bscp_desktop.models import ArchiveRequest, BriefingNote, Disclosure, Document
from bscp_desktop.services.catalogue.requests import RequestManager
from bscp_desktop.services.core.base import Manager, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.util.whole_files import FolderNotWritable, FolderTaken, write_folder_whole


@dataclass(frozen=True)
class Release:
    """What a fulfilment wrote."""

    folder: Path
    documents: tuple[Path, ...]
    cover_letter: Path
    draft: Path


def safe_name(text: str) -> str:
    """A file-system-safe form of a reference: ``AR2026-27/004`` → ``AR2026-27-004``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")


class FulfilmentManager(Manager):
    """Releases documents for archive requests."""

    @requires(Role.EDITOR, "fulfil an archive request")
    def fulfil(self, request_id: int, version: int, document_ids: list[int], folder: Path,
               sent: dt.date | None = None) -> Op[Release]:
        """Write the release into a new folder under ``folder`` and record the request as fulfilled."""
        sent = sent or self.today()
        settings = self.svc.cached_settings()
        with self.db.read() as s:
            req = self.load(s, ArchiveRequest, "archive request", request_id, version)
            RequestManager.check_move(req.status, RequestStatus.FULFILLED)
            c = Checker()
            c.require(bool(document_ids), "Documents", "choose at least one document to release")
            c.require(sent >= req.received_date, "Sent on", "cannot be before the request was received")
            self.not_future(c, "Sent on", sent)
            c.raise_if_any()
            asked = {r.id: r.case_reference or "" for r in req.reviews}
            docs = list(s.scalars(select(Document).where(Document.id.in_(document_ids)).order_by(Document.id)))
            note_reviews = dict(s.execute(select(BriefingNote.id, BriefingNote.review_id)).all())
            c.require(len(docs) == len(set(document_ids)), "Documents", "one of the documents no longer exists")

            def owner(d: Document) -> int | None:
                """The review a document belongs to: its own, or its briefing note's."""
                if d.review_id is not None:
                    return d.review_id
                return note_reviews.get(d.briefing_note_id) if d.briefing_note_id is not None else None

            for d in docs:
                c.require(owner(d) in asked, "Documents", f"{d.file_name} does not belong to a publication asked for")
            c.raise_if_any()
            reference, received = req.reference, req.received_date
            recipient, name, org = req.email, req.requester_name, req.organisation
            meta = [(d.id, d.file_name, d.title, asked[owner(d) or 0], d.sha256) for d in docs]  # checked above
        contents = {doc_id: self.svc.documents.data(doc_id) for doc_id, *_ in meta}
        release = self._write_folder(folder, reference, received, sent, recipient, name, org, meta, contents, settings)
        try:
            with self.db.write() as s:
                req = self.load(s, ArchiveRequest, "archive request", request_id, version)
                before = snapshot(req, ["status", "responded_date"])
                req.status, req.responded_date = RequestStatus.FULFILLED, sent
                for doc_id, file_name, _title, _pub, digest in meta:
                    s.add(Disclosure(request_id=req.id, document_id=doc_id, file_name=file_name, sha256=digest,
                                     recipient=recipient, released_by=self.svc.user))
                self.audit(s, "fulfil archive request", "request", req.id, f"{reference}: {len(meta)} documents "
                           "released", before, snapshot(req, ["status", "responded_date"])
                           | {"documents": [f"{f} {h}" for _, f, _, _, h in meta], "folder": str(release.folder),
                              "recipient": recipient})
        except BaseException:
            shutil.rmtree(release.folder, ignore_errors=True)
            raise
        return Op(release, Changes().add("request", request_id))

    def _write_folder(self, folder: Path, reference: str, received: dt.date, sent: dt.date, recipient: str,
                      name: str, org: str, meta: list[tuple[int, str, str, str, str]], contents: dict[int, bytes],
                      settings: object) -> Release:
        from bscp_desktop.render.cover_letter import CoverLetter, LetterDocument, write_cover_letter

        target = folder / f"{safe_name(reference)} release"

        def fill(tmp: Path) -> tuple[list[Path], Path, Path]:
            written: list[Path] = []
            used: set[str] = set()
            for doc_id, file_name, _title, publication, digest in meta:
                out_name = file_name if file_name not in used else f"{safe_name(publication)} {file_name}"
                used.add(out_name)
                path = tmp / out_name
                path.write_bytes(contents[doc_id])
                if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                    raise OSError(f"{out_name} was not written completely")
                written.append(path)
            letter = CoverLetter(
                settings.partnership_name, settings.address, settings.email, settings.protective_marking,  # type: ignore[attr-defined]
                reference, received, sent, name, org,
                tuple(LetterDocument(p.name, t, pub, len(contents[i]), h)
                      for p, (i, _f, t, pub, h) in zip(written, meta, strict=True)), self.svc.user)
            letter_path = write_cover_letter(letter, tmp / f"Cover letter {safe_name(reference)}.pdf")
            draft = tmp / f"Draft e-mail {safe_name(reference)}.eml"
            draft.write_bytes(self._draft(reference, recipient, name, settings, [*written, letter_path]))
            return written, letter_path, draft

        try:
            written, letter_path, draft = write_folder_whole(target, fill)
        except FolderTaken:
            raise ValidationError.one("Release folder", f"{target} already exists: move it away or choose another "
                                                        "folder") from None
        except FolderNotWritable as e:
            raise ValidationError.one("Release folder", f"{folder} cannot be written: {e.strerror or e}") from None
        except OSError as e:
            raise ValidationError.one("Release folder", f"the release could not be written ({e.strerror or e}); "
                                                        "nothing was recorded") from None
        return Release(target, tuple(target / p.name for p in written), target / letter_path.name,
                       target / draft.name)

    @staticmethod
    def _draft(reference: str, recipient: str, name: str, settings: object, files: list[Path]) -> bytes:
        msg = EmailMessage(policy=email.policy.SMTP)
        partnership = settings.partnership_name  # type: ignore[attr-defined]
        sender = settings.email  # type: ignore[attr-defined]
        if sender:
            msg["From"] = Address(display_name=partnership, addr_spec=sender)
        msg["To"] = Address(display_name=name, addr_spec=recipient)
        msg["Subject"] = f"Your request {reference}: archived review documents"
        msg["X-Unsent"] = "1"  # opens as a draft to send, in Outlook and others
        msg.set_content(
            f"Dear {name},\n\nPlease find attached the documents you asked for under reference {reference}, with a "
            "cover letter listing each document and its SHA-256 fingerprint.\n\n"
            f"Yours sincerely,\n{partnership}\n")
        for path in files:
            data = path.read_bytes()
            maintype, subtype = ("application", "pdf") if path.suffix.lower() == ".pdf" else ("application", "octet-stream")
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
        return msg.as_bytes()
