"""Telling the National Panel that an LCSPR will miss its publication target: whether a notice is due (the
planned publication is after the target, or a hold started since the Panel was last told), the notice as a PDF
letter and an ``.eml`` draft written to a folder (nothing is sent by the program), and recording when the Panel
was told and why publication is late."""

from __future__ import annotations

import datetime as dt
import email.policy
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from bscp_desktop.domain.vocab import Role
from bscp_desktop.models import PublicationHold, Review
from bscp_desktop.services.catalogue.fulfilment import safe_name
from bscp_desktop.services.core.base import Manager, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, NotFound, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.util.whole_files import FolderTaken, write_folder_whole

if TYPE_CHECKING:
    from bscp_desktop.render.panel_notice import PanelNotice


@dataclass(frozen=True)
class NoticeFiles:
    """The notice written: its folder, the PDF letter and the e-mail draft."""

    folder: Path
    letter: Path
    draft: Path


class PanelNoticeManager(Manager):
    """Notices of delay to the National Panel."""

    def due(self, review_id: int, as_of: dt.date | None = None) -> str:
        """Why the Panel should be told of a delay now, in words, or "" when it need not be."""
        row = self.svc.slippage.row(review_id, as_of)
        if row is None or row.published:
            return ""
        with self.db.read() as s:
            review = s.get(Review, review_id)
            if review is None:
                raise NotFound("review", review_id)
            told = review.panel_told_on
            newest_hold = s.scalar(select(PublicationHold.started).where(PublicationHold.review_id == review_id)
                                   .order_by(PublicationHold.started.desc()).limit(1))
        if newest_hold is not None and (told is None or newest_hold > told):
            return f"a hold started on {newest_hold:%d/%m/%Y}" + ("" if told is None else
                                                                   f", after the Panel was told on {told:%d/%m/%Y}")
        if row.late and told is None and row.when is not None:
            if row.when == (as_of or self.today()):
                return f"the target ({row.target:%d/%m/%Y}) has passed with no publication date planned"
            return f"the planned publication ({row.when:%d/%m/%Y}) is after the target ({row.target:%d/%m/%Y})"
        return ""

    def told_on(self, review_id: int) -> dt.date | None:
        """When the Panel was last told of a delay to this review."""
        with self.db.read() as s:
            return s.scalar(select(Review.panel_told_on).where(Review.id == review_id))

    def write(self, review_id: int, folder: Path, as_of: dt.date | None = None) -> NoticeFiles:
        """Write the notice (PDF letter and e-mail draft) into a new folder inside ``folder``, whole or not at
        all. Nothing is recorded: ``record_told`` does that once it is sent."""
        from bscp_desktop.render.panel_notice import PanelNotice, write_panel_notice

        row = self.svc.slippage.row(review_id, as_of)
        if row is None:
            raise ValidationError.one("Review", "has no publication target (an LCSPR with a decision date)")
        settings = self.svc.cached_settings()
        with self.db.read() as s:
            review = s.get(Review, review_id)
            planned = review.planned_publication_date if review else None
        notice = PanelNotice(settings.partnership_name, settings.address, settings.email,
                             settings.protective_marking, row.reference, row.title, row.decided, row.target,
                             planned if planned and planned > row.target else None, row.reasons,
                             as_of or self.today(), self.svc.user)
        target = folder / f"{safe_name(row.reference)} notice to the Panel"

        def fill(tmp: Path) -> tuple[Path, Path]:
            letter = write_panel_notice(notice, tmp / f"Notice to the Panel {safe_name(row.reference)}.pdf")
            draft = tmp / f"Draft e-mail {safe_name(row.reference)}.eml"
            draft.write_bytes(self._draft(notice, settings.email, letter))
            return letter, draft

        try:
            letter, draft = write_folder_whole(target, fill)
        except FolderTaken:
            raise ValidationError.one("Folder", f"{target} already exists: move it away or choose another "
                                                "folder") from None
        except OSError as e:
            raise ValidationError.one("Folder", f"the notice could not be written ({e.strerror or e})") from None
        return NoticeFiles(target, target / letter.name, target / draft.name)

    @staticmethod
    def _draft(notice: PanelNotice, sender: str, letter: Path) -> bytes:
        msg = EmailMessage(policy=email.policy.SMTP)
        if sender:
            msg["From"] = Address(display_name=notice.partnership, addr_spec=sender)
        msg["Subject"] = notice.subject
        msg["X-Unsent"] = "1"  # opens as a draft to address and send
        msg.set_content(notice.body())
        msg.add_attachment(letter.read_bytes(), maintype="application", subtype="pdf", filename=letter.name)
        return msg.as_bytes()

    @requires(Role.EDITOR, "record that the Panel was told of a delay")
    def record_told(self, review_id: int, version: int, told_on: dt.date | None, reason: str = "") -> Op[None]:
        """Record when the Panel was told of the delay, and the reason for it besides any holds."""
        c = Checker()
        if c.require(told_on is not None, "Told on", "is required"):
            assert told_on is not None
            self.not_future(c, "Told on", told_on)
        c.at_most(reason, 4000, "Reason for the delay")
        c.raise_if_any()
        with self.db.write() as s:
            r = self.load(s, Review, "review", review_id, version)
            before = snapshot(r, ["panel_told_on", "delay_reason"])
            r.panel_told_on = told_on
            if reason.strip():
                r.delay_reason = reason.strip()
            s.flush()
            self.audit(s, "record panel told of delay", "review", r.id, f"{r.case_reference}: told on "
                       f"{told_on:%d/%m/%Y}" if told_on else r.case_reference or "", before,
                       snapshot(r, ["panel_told_on", "delay_reason"]))
        return Op(None, Changes().add("review", review_id))
