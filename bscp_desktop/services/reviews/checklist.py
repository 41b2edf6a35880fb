"""The pre-publication checklist of a review: each step done or open, with its date and who, and what is missing.

Some steps are recorded by staff (family informed and offered a say, report anonymised and checked, the three
partners agreed, press statement ready, sent to the national repository); the others are read from the review
and its stored files (the advance copy sent; a briefing note and a presentation stored; the report PDF's
title, language and tags). Publication is refused while a step before publication is open, unless an
administrator records why (``ReviewManager.record_publication_over_checklist``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bscp_desktop.domain.vocab import ChecklistStep, DocumentKind, Role
from bscp_desktop.models import BriefingNote, ChecklistEntry, Document, DocumentContent, Review
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, NotFound, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.util.pdf_accessibility import accessibility_gaps


@dataclass(frozen=True)
class StepView:
    """One checklist step: done (when, by whom, a note) or open (and what is missing)."""

    step: ChecklistStep
    done_on: dt.date | None
    done_by: str = ""
    note: str = ""
    missing: str = ""  # for an open step read from the files: what they lack
    entry_id: int | None = None
    entry_version: int | None = None

    by_document: bool = False  # a recorded step satisfied by a stored document (a press statement)

    @property
    def done(self) -> bool:
        """True once the step is done."""
        return self.done_on is not None or self.by_document or (not self.step.recorded and not self.missing)


@dataclass(frozen=True)
class Checklist:
    """A review's checklist, in order."""

    review_id: int
    steps: tuple[StepView, ...]

    @property
    def open_before_publication(self) -> list[StepView]:
        """Steps that must be done before publication and are not."""
        return [s for s in self.steps if s.step.before_publication and not s.done]


class ChecklistManager(Manager):
    """Pre-publication checklists."""

    def for_review(self, review_id: int) -> Checklist:
        """Every step of a review's checklist."""
        with self.db.read() as s:
            return checklist(s, review_id)

    @requires(Role.EDITOR, "record a pre-publication step")
    def record(self, review_id: int, step: ChecklistStep, done_on: dt.date | None, note: str = "") -> Op[Checklist]:
        """Record a step staff take (``ChecklistStep.recorded``) as done on ``done_on``."""
        step = ChecklistStep.of(step)
        c = Checker()
        c.require(step.recorded, "Step", "is read from the review and its documents, not recorded by hand")
        if c.require(done_on is not None, "Done on", "is required"):
            assert done_on is not None
            self.not_future(c, "Done on", done_on)
        c.at_most(note, 2000, "Note")
        c.raise_if_any()
        assert done_on is not None
        with self.db.write() as s:
            review = s.get(Review, review_id)
            if review is None:
                raise NotFound("review", review_id)
            entry = s.scalar(select(ChecklistEntry).where(ChecklistEntry.review_id == review_id,
                                                          ChecklistEntry.step == step))
            if entry is not None:
                raise ValidationError.one("Step", f"was recorded already, on {entry.done_on:%d/%m/%Y} by "
                                                  f"{entry.done_by}")
            s.add(ChecklistEntry(review_id=review_id, step=step, done_on=done_on, done_by=self.svc.user,
                                 note=note.strip()))
            s.flush()
            self.audit(s, "record checklist step", "review", review_id,
                       f"{review.case_reference}: {step.label} on {done_on:%d/%m/%Y}", None,
                       {"step": step.value, "done_on": done_on.isoformat()})
            view = checklist(s, review_id)
        return Op(view, Changes().add("review", review_id))

    @requires(Role.EDITOR, "reopen a pre-publication step")
    def reopen(self, review_id: int, step: ChecklistStep, version: int) -> Op[Checklist]:
        """Take back a recorded step (recorded by mistake, or to be done again)."""
        with self.db.write() as s:
            entry = s.scalar(select(ChecklistEntry).where(ChecklistEntry.review_id == review_id,
                                                          ChecklistEntry.step == ChecklistStep.of(step)))
            if entry is None:
                raise ValidationError.one("Step", "is not recorded")
            entry = self.load(s, ChecklistEntry, "checklist step", entry.id, version)
            s.delete(entry)
            s.flush()
            self.audit(s, "reopen checklist step", "review", review_id, ChecklistStep.of(step).label,
                       {"done_on": entry.done_on.isoformat()}, None)
            view = checklist(s, review_id)
        return Op(view, Changes().add("review", review_id))


def checklist(s: Session, review_id: int) -> Checklist:
    """The checklist of a review, as transaction ``s`` sees it."""
    review = s.get(Review, review_id)
    if review is None:
        raise NotFound("review", review_id)
    entries = {e.step: e for e in s.scalars(select(ChecklistEntry).where(ChecklistEntry.review_id == review_id))}
    kinds = set(s.scalars(select(Document.kind).where(Document.review_id == review_id)))
    has_note = bool(kinds & {DocumentKind.BRIEFING_NOTE}) or s.scalar(
        select(BriefingNote.id).where(BriefingNote.review_id == review_id).limit(1)) is not None
    steps = []
    for step in ChecklistStep:
        e = entries.get(step)
        if e is not None:
            steps.append(StepView(step, e.done_on, e.done_by, e.note, "", e.id, e.version))
        elif step is ChecklistStep.ADVANCE_COPY:
            steps.append(StepView(step, review.advance_copy_date, missing="" if review.advance_copy_date else
                                  "no advance copy recorded"))
        elif step is ChecklistStep.DOCUMENTS:
            lacking = [w for w, ok in (("briefing note", has_note),
                                       ("presentation", DocumentKind.PRESENTATION in kinds)) if not ok]
            steps.append(StepView(step, None, missing=f"no {' or '.join(lacking)} stored" if lacking else ""))
        elif step is ChecklistStep.ACCESSIBILITY:
            steps.append(StepView(step, None, missing=_report_gaps(s, review_id)))
        elif step is ChecklistStep.PRESS and DocumentKind.PRESS_STATEMENT in kinds:
            steps.append(StepView(step, None, note="a press statement is stored", by_document=True))
        else:
            steps.append(StepView(step, None))
    return Checklist(review_id, tuple(steps))


def _report_gaps(s: Session, review_id: int) -> str:
    """What the review's report PDFs lack, or "" when every one has a title, a language and tags."""
    reports = s.execute(select(Document.file_name, DocumentContent.data)
                        .join(DocumentContent, DocumentContent.document_id == Document.id)
                        .where(Document.review_id == review_id, Document.kind == DocumentKind.REPORT,
                               Document.file_name.ilike("%.pdf"))).all()
    if not reports:
        return "no report PDF stored"
    found = [f"{name}: {', '.join(gaps)}" for name, data in reports if (gaps := accessibility_gaps(bytes(data)))]
    return "; ".join(found)
