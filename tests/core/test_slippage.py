"""Slippage explained and the Panel told: each LCSPR's target moved on by its holds, the days late and why; the
share published on time and the commonest reasons; the notice of delay as a PDF letter and an e-mail draft;
recording when the Panel was told."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bscp_desktop.domain.vocab import PublicationHoldKind
from bscp_desktop.reports import ReportOptions, render
from bscp_desktop.services import ValidationError
from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput
from bscp_desktop.services.reviews.reviews import ReviewInput
from bscp_desktop.services.reviews.slippage import NO_REASON
from tests.conftest import TODAY, complete_checklist
from tests.core.test_publication_holds import hold, lcspr

D = dt.date


def published(svc: Any, review: Any, on: dt.date, folder: Path) -> None:
    complete_checklist(svc, review.id, folder, min(on, TODAY))
    r = svc.reviews.get(review.id)
    svc.reviews.record_publication(r.id, r.version, on)


def test_each_lcspr_against_its_target_with_the_reason(svc: Any, tmp_path: Path) -> None:
    held = lcspr(svc, "Child A", D(2025, 12, 1))  # target 01/06/2026
    h = hold(svc, held, PublicationHoldInput(PublicationHoldKind.CRIMINAL, D(2026, 1, 5)))
    svc.publication_holds.lift(h.id, h.version, D(2026, 4, 5))  # 90 days: target 30/08/2026
    published(svc, held, D(2026, 9, 9), tmp_path / "a")  # 10 days late
    typed = lcspr(svc, "Child B", D(2025, 11, 3))  # target 03/05/2026
    r = svc.reviews.get(typed.id)
    svc.panel_notices.record_told(r.id, r.version, D(2026, 4, 20), "The family asked for more time")
    published(svc, typed, D(2026, 5, 13), tmp_path / "b")
    on_time = lcspr(svc, "Child C", D(2026, 1, 5))
    published(svc, on_time, D(2026, 6, 1), tmp_path / "c")
    silent = lcspr(svc, "Child D", D(2026, 3, 2))  # target 02/09/2026: passed, nothing planned
    rows = {r.review_id: r for r in svc.slippage.rows()}
    assert (rows[held.id].target, rows[held.id].days_late) == (D(2026, 8, 30), 10)
    assert rows[held.id].reason == "Criminal proceedings (90 days held)"
    assert (rows[typed.id].days_late, rows[typed.id].reason) == (10, "The family asked for more time")
    assert (rows[on_time.id].late, rows[on_time.id].reason) == (False, "")
    assert (rows[silent.id].when, rows[silent.id].days_late, rows[silent.id].reason) == (
        TODAY, (TODAY - D(2026, 9, 2)).days, NO_REASON)
    summary = svc.slippage.summary(D(2026, 4, 1), D(2027, 3, 31))
    assert (summary.published, summary.on_time) == (3, 1)
    assert dict(summary.reasons) == {"Criminal proceedings": 1, "Other reason recorded": 1}
    out = render(svc, "status", tmp_path / "status.pdf", ReportOptions(TODAY))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "LCSPRs against the publication target" in text
    assert "Criminal proceedings (90 days held)" in text and "The family asked for more time" in text
    annual = render(svc, "annual", tmp_path / "annual.pdf", ReportOptions(TODAY))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(annual).pages).split())
    assert "Share published on time" in text and "Delayed by: Criminal proceedings 1" in text


def test_the_panel_is_told_by_a_letter_and_a_draft(svc: Any, tmp_path: Path) -> None:
    review = lcspr(svc, "Child A", D(2026, 2, 2))  # target 02/08/2026, passed
    r = svc.reviews.get(review.id)
    svc.reviews.update(r.id, r.version, ReviewInput("lcspr", r.title, r.decision_date,
                                                    planned_publication_date=D(2027, 1, 29)))
    assert svc.panel_notices.due(review.id) == "the planned publication (29/01/2027) is after the target (02/08/2026)"
    files = svc.panel_notices.write(review.id, tmp_path)
    assert files.folder.name == f"{review.case_reference.replace('/', '-')} notice to the Panel"
    letter = " ".join(PdfReader(files.letter).pages[0].extract_text().split())
    assert f"Delay to the publication of local child safeguarding practice review {review.case_reference}" in letter
    assert "publication target is 02/08/2026" in letter and "by Friday 29 January 2027" in letter
    draft = email.message_from_bytes(files.draft.read_bytes(), policy=email.policy.default)
    assert draft["X-Unsent"] == "1" and draft["Subject"].startswith("Delay to the publication")
    assert [p.get_filename() for p in draft.iter_attachments()] == [files.letter.name]
    with pytest.raises(ValidationError, match="already exists"):
        svc.panel_notices.write(review.id, tmp_path)
    r = svc.reviews.get(review.id)
    svc.panel_notices.record_told(r.id, r.version, D(2026, 11, 3))
    assert svc.panel_notices.due(review.id) == ""
    hold(svc, review, PublicationHoldInput(PublicationHoldKind.INQUEST, D(2026, 11, 10)))
    assert svc.panel_notices.due(review.id).startswith("a hold started on 10/11/2026, after the Panel was told")
    with pytest.raises(ValidationError, match="cannot be in the future"):
        r = svc.reviews.get(review.id)
        svc.panel_notices.record_told(r.id, r.version, TODAY + dt.timedelta(days=1))
