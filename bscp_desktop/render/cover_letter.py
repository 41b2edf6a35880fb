"""The cover letter sent with released archive documents: the partnership's letterhead, the request's reference,
and every document released with its size and SHA-256, so the recipient can check what they received.
Built from plain values; it does not read the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from bscp_desktop.render.template import (
    ReportDocument,
    ReportMeta,
    escape,
    gap,
    para,
    styles,
    summary_table,
    table,
)
from bscp_desktop.util.dates import uk, uk_long


@dataclass(frozen=True)
class LetterDocument:
    """A released document as the letter lists it."""

    file_name: str
    title: str
    publication: str
    size: int
    sha256: str


@dataclass(frozen=True)
class CoverLetter:
    """Everything the letter says."""

    partnership: str
    address: str
    email: str
    marking: str
    reference: str
    received: dt.date
    sent: dt.date
    requester: str
    organisation: str
    documents: tuple[LetterDocument, ...]
    user: str


def write_cover_letter(letter: CoverLetter, out: Path) -> Path:
    """Write the cover letter PDF to ``out``."""
    meta = ReportMeta(letter.partnership, f"Release of archived documents {letter.reference}", letter.marking,
                      letter.sent, dt.datetime.now(), letter.user)
    st = styles()
    head = f"<b>{escape(letter.partnership)}</b><br/>{escape(letter.address)}"
    if letter.email:
        head += f"<br/>{escape(letter.email)}"
    story: list[Flowable] = [Paragraph(head, st["body"]), gap(8 * mm), para(uk_long(letter.sent)), gap(),
                             para(letter.requester + (f", {letter.organisation}" if letter.organisation else "")),
                             gap(6 * mm),
                             Paragraph(f"<b>Your request {escape(letter.reference)}, received "
                                       f"{uk(letter.received)}</b>", st["body"]), gap(3 * mm)]
    story.append(para(
        "Thank you for your request. The published reviews you asked for have been archived: after three years "
        "they are taken down from our website but remain available on request. The documents listed below are "
        "attached. Each is listed with its SHA-256 fingerprint so that you can confirm that the files you "
        "received are exactly those we sent."))
    story += [gap(), para("Documents released", "h2")]
    story += table(("Publication", "Document", "File", "Size", "SHA-256"),
                   [(d.publication, d.title, d.file_name, f"{d.size:,} bytes", d.sha256) for d in letter.documents],
                   (26 * mm, 38 * mm, 38 * mm, 20 * mm, 60 * mm), wrap=(1, 2, 4), numeric=(3,))
    story += [gap(), para("These documents are published reports; please credit the partnership when you quote "
                          "them. If you have any question about this release, reply quoting the reference above."),
              gap(6 * mm), para("Yours sincerely,"), gap(10 * mm), para(f"{letter.partnership} business unit"), gap(),
              summary_table([("Reference", letter.reference), ("Sent", uk(letter.sent)),
                             ("Documents", str(len(letter.documents)))], widths=(30 * mm, 60 * mm), figures=False)]
    doc = ReportDocument(str(out), meta)
    doc.build_story(story)
    return out
