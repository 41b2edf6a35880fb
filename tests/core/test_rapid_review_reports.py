"""The Rapid Review report (PDF and Word) and the notification sheet: every section in Working Together 2023's
order, the children and their characteristics, the agencies' returns and the partners' sign-off; the output
type follows the file's extension."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from bscp_desktop.cli import main
from bscp_desktop.domain.rapid_review import (
    SECTIONS,
    CriterionAnswer,
    LocalReviewCriterion,
    ProceedingKind,
    ProceedingState,
)
from bscp_desktop.domain.vocab import IncidentLocation, LocationType, Partner
from bscp_desktop.reports import ReportOptions, render
from bscp_desktop.reports.rapid_review import (
    CRITERIA_HEADING,
    DECISION_HEADING,
    LEARNING_HEADING,
    PROCEEDINGS_HEADING,
    SIGN_OFF_HEADING,
)
from bscp_desktop.services.incidents.children import ChildInput
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.local_review_criteria import CriterionView
from bscp_desktop.services.incidents.panel_details import PanelDetails
from bscp_desktop.services.incidents.proceedings import ProceedingInput
from bscp_desktop.services.incidents.rapid_reviews import LocalReviewGrounds, RapidReviewReport
from tests.conftest import agree_rapid_review

D = dt.date
HEADINGS = ["Summary of the incident", "Timeliness", "The children", "Agencies and their returns",
            "What each agency did with the child", *(s.heading for s in SECTIONS), LEARNING_HEADING,
            PROCEEDINGS_HEADING, DECISION_HEADING, CRITERIA_HEADING, SIGN_OFF_HEADING]
CRITERIA = (
    CriterionView(LocalReviewCriterion.IMPROVEMENTS, CriterionAnswer.MET, "Referral pathways need change."),
    CriterionView(LocalReviewCriterion.RECURRENT_THEMES, CriterionAnswer.MET, "Third case of unseen infants."),
    CriterionView(LocalReviewCriterion.AGENCIES_TOGETHER, CriterionAnswer.NOT_MET, "Agencies shared well."),
    CriterionView(LocalReviewCriterion.PANEL_LOCAL, CriterionAnswer.NOT_MET, "The Panel has not asked."),
)


@pytest.fixture
def case(svc: Any) -> Any:
    """A notification of two siblings, two agencies asked (one answered, with what it did), the report written
    with its criteria, a police investigation and an inquest under way, agreed, and sent two working days late
    (due 23/10/2026, sent 27/10/2026)."""
    v = svc.incidents.register(IncidentInput(became_aware=D(2026, 10, 1), notes="Two siblings found at home.",
                                             incident_date=D(2026, 9, 30),
                                             panel=PanelDetails(IncidentLocation.IN_AREA, LocationType.FAMILY_HOME,
                                                                "Fictional Road, Birmingham", "07:40",
                                                                "Two fictional siblings were found injured."),
                                             children=(ChildInput("Child A", "died", "under 1", "female",
                                                                  "White British", looked_after="yes",
                                                                  cp_plan="current"),
                                                       ChildInput("Child B", "seriously harmed", "1-4", "male",
                                                                  "White British", cp_plan="previous")))).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 2), "NP-77").value
    police, trust = svc.reference_lists.agencies()[:2]
    v = svc.rapid_reviews.ask_agency(v.id, police.id, D(2026, 10, 2)).value
    v = svc.rapid_reviews.ask_agency(v.id, trust.id, D(2026, 10, 2)).value
    ret = v.rapid_review.returns[0]
    svc.rapid_reviews.record_return(ret.id, ret.version, D(2026, 10, 7),
                                    involvement="Attended twice after a neighbour's call; no crime recorded.")
    v = svc.incidents.get(v.id)
    v = svc.rapid_reviews.save_report(v.id, v.rapid_review.version, RapidReviewReport(
        D(2026, 10, 15), "Both children were known to health visiting.", "The surviving child was placed safely.",
        "Information sharing at the point of referral.", "The family faced racist abuse from neighbours.",
        "The mother met the chair; the father wrote.", "The police return came after the meeting.")).value
    v = svc.rapid_reviews.save_grounds(v.id, v.rapid_review.version, LocalReviewGrounds(
        CRITERIA, "no", "Local learning only.")).value
    v = svc.proceedings.record(v.id, ProceedingInput(ProceedingKind.POLICE, ProceedingState.UNDER_WAY,
                                                     D(2026, 10, 1), "Fictional: two adults interviewed.")).value
    v = svc.proceedings.record(v.id, ProceedingInput(ProceedingKind.CORONER, ProceedingState.EXPECTED)).value
    v = agree_rapid_review(svc, v.id, D(2026, 10, 16))
    v = svc.incidents.record_rapid_review(v.id, v.version, D(2026, 10, 27), D(2026, 10, 15),
                                          "Fictional: check every cot-sleeping advice leaflet.").value
    return svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 10, 28), "Multi-agency learning.").value


def test_the_rapid_review_pdf_has_every_section_in_order_and_the_sign_off(svc: Any, case: Any, tmp_path: Path) -> None:
    out = render(svc, "rapid-review", tmp_path / "rr.pdf", ReportOptions(D(2026, 11, 20), case=case.local_ref))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    places = [text.index(h) for h in HEADINGS]
    assert places == sorted(places), "the sections follow Working Together 2023's order"
    for words in ("Child A", "Child B", "Current", "Previous", "NP-77", "Both children were known",
                  "racist abuse", "Undertake an LCSPR", "Multi-agency learning.", "Fictional Signatory 3",
                  "30/09/2026 at 07:40", "Fictional Road, Birmingham", "Two fictional siblings were found injured.",
                  "Rapid Review due 23/10/2026", "Sent to the Panel 27/10/2026", "Sent 2 working days late",
                  "The police return came after the meeting.", "Attended twice after a neighbour's call",
                  "Not yet recorded from its return.", "check every cot-sleeping advice leaflet",
                  "The mother met the chair", "Police investigation Under way Since 01/10/2026",
                  "Fictional: two adults interviewed.", "Coroner and inquest Expected",
                  "Referral pathways need change.", "Agencies shared well.", "Local learning only."):
        assert words in text, words
    for criterion in LocalReviewCriterion:
        assert criterion.label in text
    for p in Partner:
        assert p.label in text


def test_the_rapid_review_docx_has_real_headings_tables_and_the_marking(svc: Any, case: Any, tmp_path: Path) -> None:
    out = render(svc, "rapid-review", tmp_path / "rr.docx", ReportOptions(D(2026, 11, 20), case=case.local_ref))
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == HEADINGS
    sign_off = doc.tables[-1]
    assert [c.text for c in sign_off.rows[0].cells] == ["Partner", "Agreed by", "Role", "Agreed on"]
    assert [r.cells[0].text for r in sign_off.rows[1:]] == [p.label for p in Partner]
    assert [r.cells[3].text for r in sign_off.rows[1:]] == ["16/10/2026"] * 3
    returns = next(t for t in doc.tables if t.rows[0].cells[0].text == "Agency")
    assert [r.cells[3].text for r in returns.rows[1:]] == ["07/10/2026", "not yet"]
    cells = {t.rows[0].cells[0].text: t for t in doc.tables}
    criteria = cells["Criterion"]
    assert [(r.cells[1].text, r.cells[2].text) for r in criteria.rows[1:]] == [
        (c.answer.label, c.reasons) for c in CRITERIA]
    proceedings = cells["Proceeding"]
    assert [[c.text for c in r.cells] for r in proceedings.rows[1:]] == [
        ["Police investigation", "Under way", "Since 01/10/2026", "Fictional: two adults interviewed."],
        ["Coroner and inquest", "Expected", "—", "—"]]
    facts = {r.cells[0].text: r.cells[1].text for t in doc.tables if len(t.columns) == 2 for r in t.rows}
    assert facts["Timeliness"] == "Sent 2 working days late"
    assert facts["Why it was late"] == "The police return came after the meeting."
    assert facts["Date of the incident"] == "30/09/2026 at 07:40"
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "The mother met the chair; the father wrote." in body and "cot-sleeping advice" in body
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    assert "OFFICIAL-SENSITIVE" in section.footer.paragraphs[0].text
    assert doc.core_properties.title == "Rapid Review report"


def test_the_notification_sheet_lists_what_the_panels_form_asks(svc: Any, case: Any, tmp_path: Path) -> None:
    out = render(svc, "notification", tmp_path / "n.pdf", ReportOptions(D(2026, 11, 20), case=case.local_ref))
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for words in ("Looked after", "Child protection plan", "Ethnicity", "White British", "Current", "Previous",
                  "Child A", "Child B", "Date the local authority became aware", "Case outline for the Panel"):
        assert words in text, words
    assert "Two siblings found at home." not in text  # the case notes stay internal: the outline is its own field


def test_the_output_type_follows_the_extension_and_anything_else_is_refused(
        svc: Any, case: Any, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=r"written as \.pdf or \.docx, not '\.odt'"):
        render(svc, "rapid-review", out / "rr.odt", ReportOptions(D(2026, 11, 20), case=case.local_ref))
    with pytest.raises(ValueError, match=r"written as \.pdf, not '\.docx'"):
        render(svc, "notification", out / "n.docx", ReportOptions(D(2026, 11, 20), case=case.local_ref))
    assert not out.exists()
    for argv, words in ((["report", "rapid-review", "--out", str(tmp_path / "x.pdf")], "needs --case"),
                        (["report", "notification", "--case", case.local_ref, "--out", str(tmp_path / "x.txt")],
                         "written as .pdf: x.txt is not")):
        assert main([*argv, "--db", str(db_path)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and words in err, err


def test_the_annual_and_learning_reports_as_word(svc: Any, tmp_path: Path) -> None:
    svc.demo.build(60, 4, D(2026, 11, 20))
    annual = Document(str(render(svc, "annual", tmp_path / "annual.docx", ReportOptions(D(2026, 11, 20)))))
    headings = [p.text for p in annual.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["By financial year", "Children notified, by characteristic"]
    assert "Publication against the six-month target" in headings
    years = annual.tables[1]
    assert [c.text for c in years.rows[0].cells][:3] == ["Year", "Notifications", "on time"]
    figures = svc.reporting.annual(2026)
    assert [r.cells[1].text for r in years.rows[1:]] == [f"{y.notifications:,}" for y in figures.years]
    learning = Document(str(render(svc, "learning", tmp_path / "learning.docx", ReportOptions(D(2026, 11, 20)))))
    assert learning.sections[0].page_width > learning.sections[0].page_height  # landscape, as the PDF
    actions = svc.actions.find(as_of=D(2026, 11, 20))
    listed = sum(len(t.rows) - 1 for t in learning.tables[1:])
    assert listed == len(actions) > 0
