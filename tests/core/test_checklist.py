"""The pre-publication checklist: steps recorded by staff and steps read from the review and its files (the
report PDF's title, language and tags among them), publication refused while one is open, and an
administrator's reason to publish anyway, audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.domain.vocab import ChecklistStep, Role
from bscp_desktop.services import PermissionDenied, Services, ValidationError
from bscp_desktop.util.pdf_accessibility import accessibility_gaps
from tests.conftest import TODAY, complete_checklist, fictional_pdf
from tests.core.test_publication_holds import lcspr

D = dt.date


def test_a_tagged_pdf_has_no_gaps_and_an_untagged_one_says_what_it_lacks(tmp_path: Path) -> None:
    assert accessibility_gaps(fictional_pdf(tmp_path / "a.pdf").read_bytes()) == []
    assert accessibility_gaps(fictional_pdf(tmp_path / "b.pdf", tagged=False).read_bytes()) == [
        "no document title", "no language set", "not tagged (no structure for screen readers)"]
    assert accessibility_gaps(b"not a pdf at all")[0].startswith("cannot be read as a PDF")


def test_a_new_review_has_every_step_open(svc: Any) -> None:
    review = lcspr(svc)
    steps = {v.step: v for v in svc.checklist.for_review(review.id).steps}
    assert list(steps) == list(ChecklistStep)
    assert not any(v.done for v in steps.values())
    assert steps[ChecklistStep.DOCUMENTS].missing == "no briefing note or presentation stored"
    assert steps[ChecklistStep.ACCESSIBILITY].missing == "no report PDF stored"
    assert steps[ChecklistStep.ADVANCE_COPY].missing == "no advance copy recorded"


def test_publication_is_refused_while_a_step_is_open(svc: Any, tmp_path: Path) -> None:
    review = lcspr(svc)
    r = svc.reviews.get(review.id)
    with pytest.raises(ValidationError) as e:
        svc.reviews.record_publication(r.id, r.version, D(2026, 11, 10))
    message = e.value.for_field("Checklist") or ""
    assert message.startswith("7 steps before publication are open (Family informed and offered a say;")
    assert "Repository" not in message  # sending it to the repository comes after publication
    assert svc.reviews.get(review.id).publication_date is None
    complete_checklist(svc, review.id, tmp_path)
    listed = svc.checklist.for_review(review.id)
    assert listed.open_before_publication == []
    family = next(v for v in listed.steps if v.step is ChecklistStep.FAMILY)
    assert (family.done_on, family.done_by) == (D(2026, 11, 2), svc.user)
    press = next(v for v in listed.steps if v.step is ChecklistStep.PRESS)
    assert press.done and press.by_document
    r = svc.reviews.get(review.id)
    assert svc.reviews.record_publication(r.id, r.version, D(2026, 11, 10)).value.publication_date == D(2026, 11, 10)
    repository = next(v for v in svc.checklist.for_review(review.id).steps if v.step is ChecklistStep.REPOSITORY)
    assert not repository.done  # after publication: still to do, and never blocking


def test_an_untagged_report_keeps_the_accessibility_step_open(svc: Any, tmp_path: Path) -> None:
    review = lcspr(svc)
    complete_checklist(svc, review.id, tmp_path)
    svc.documents.add(fictional_pdf(tmp_path / "scan.pdf", tagged=False), "report", review_id=review.id)
    step = next(v for v in svc.checklist.for_review(review.id).steps if v.step is ChecklistStep.ACCESSIBILITY)
    assert not step.done and step.missing == ("scan.pdf: no document title, no language set, not tagged (no "
                                              "structure for screen readers)")


def test_an_administrator_may_publish_over_open_steps_saying_why(svc: Any, db_url: str) -> None:
    review = lcspr(svc)
    r = svc.reviews.get(review.id)
    with pytest.raises(ValidationError, match="Reason"):
        svc.reviews.record_publication_over_checklist(r.id, r.version, D(2026, 11, 10), " ")
    if svc.db.is_sqlite:  # an editor may not (on a server the role test covers it)
        svc.users.add("eve", Role.EDITOR)
        eve = Services.open(db_url, user="eve", today=lambda: TODAY)
        try:
            with pytest.raises(PermissionDenied, match="Only an administrator can record a publication with"):
                eve.reviews.record_publication_over_checklist(r.id, r.version, D(2026, 11, 10), "Because")
        finally:
            eve.close()
    done = svc.reviews.record_publication_over_checklist(r.id, r.version, D(2026, 11, 10),
                                                         "The partners directed publication before the trial")
    assert done.value.publication_date == D(2026, 11, 10)
    entry = next(e for e in svc.audit_log.find("publish over checklist").entries)
    assert "The partners directed publication" in entry.summary and "Family informed" in str(entry.after)


def test_recording_a_step_keeps_its_rules(svc: Any) -> None:
    review = lcspr(svc)
    with pytest.raises(ValidationError, match="read from the review"):
        svc.checklist.record(review.id, ChecklistStep.ADVANCE_COPY, D(2026, 11, 2))
    with pytest.raises(ValidationError, match="cannot be in the future"):
        svc.checklist.record(review.id, ChecklistStep.FAMILY, TODAY + dt.timedelta(days=1))
    svc.checklist.record(review.id, ChecklistStep.FAMILY, D(2026, 11, 2), "Met the family at home")
    with pytest.raises(ValidationError, match="recorded already"):
        svc.checklist.record(review.id, ChecklistStep.FAMILY, D(2026, 11, 3))
    family = next(v for v in svc.checklist.for_review(review.id).steps if v.step is ChecklistStep.FAMILY)
    assert family.note == "Met the family at home"
    assert family.entry_version is not None
    svc.checklist.reopen(review.id, ChecklistStep.FAMILY, family.entry_version)
    assert not next(v for v in svc.checklist.for_review(review.id).steps if v.step is ChecklistStep.FAMILY).done
