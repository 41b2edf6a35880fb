"""The notice to the National Child Safeguarding Practice Review Panel that an LCSPR will be published after its
target: the partnership's letterhead, the review, the target and the expected date, and the reasons (holds for
parallel proceedings with their kinds, or the reason recorded). Built from plain values; it reads no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from bscp_desktop.render.template import ReportDocument, ReportMeta, escape, gap, para, styles, summary_table
from bscp_desktop.util.dates import uk, uk_long


@dataclass(frozen=True)
class PanelNotice:
    """Everything the notice says."""

    partnership: str
    address: str
    email: str
    marking: str
    reference: str
    title: str
    decided: dt.date
    target: dt.date
    expected: dt.date | None
    reasons: tuple[str, ...]
    written: dt.date
    user: str

    @property
    def subject(self) -> str:
        """The letter's and e-mail's subject line."""
        return f"Delay to the publication of local child safeguarding practice review {self.reference}"

    def body(self) -> str:
        """The notice in plain text (the e-mail's body)."""
        expected = f"We now expect to publish by {uk_long(self.expected)}." if self.expected else (
            "We cannot yet give a date for publication; we will write again when we can.")
        reasons = "\n".join(f"- {r}" for r in self.reasons)
        return (f"Dear National Panel,\n\n{self.subject}.\n\nThe decision to undertake the review was made on "
                f"{uk(self.decided)}, so its publication target is {uk(self.target)}. {expected}\n\nThe reasons:\n"
                f"{reasons}\n\nWe will send the advance copy to the Panel and the Secretary of State before "
                f"publication, as Working Together 2023 asks.\n\nYours sincerely,\n{self.partnership} business unit\n")


def write_panel_notice(notice: PanelNotice, out: Path) -> Path:
    """Write the notice's PDF letter to ``out``."""
    meta = ReportMeta(notice.partnership, f"Notice of delay {notice.reference}", notice.marking, notice.written,
                      dt.datetime.now(), notice.user)
    st = styles()
    head = f"<b>{escape(notice.partnership)}</b><br/>{escape(notice.address)}"
    if notice.email:
        head += f"<br/>{escape(notice.email)}"
    story: list[Flowable] = [
        Paragraph(head, st["body"]), gap(8 * mm), para(uk_long(notice.written)), gap(),
        para("The National Child Safeguarding Practice Review Panel"), gap(6 * mm),
        Paragraph(f"<b>{escape(notice.subject)}</b>", st["body"]), gap(3 * mm)]
    for paragraph in notice.body().split("\n\n")[2:-1]:
        story += [para(line) for line in paragraph.split("\n")] + [gap(2 * mm)]
    story += [gap(4 * mm), para("Yours sincerely,"), gap(10 * mm), para(f"{notice.partnership} business unit"),
              gap(), summary_table([("Review", notice.reference), ("Publication target", uk(notice.target)),
                                    ("Expected publication", uk(notice.expected, "not yet known"))],
                                   widths=(40 * mm, 60 * mm), figures=False)]
    ReportDocument(str(out), meta).build_story(story)
    return out
