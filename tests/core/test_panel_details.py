"""What the Panel's notification form asks beyond the children and dates: where and when it happened (outside
England too), an outline for the Panel, and who notified (the partnership's default, changeable per incident);
checked naming each field, printed on the notification sheet (a fifth child and on in its further-information
part), blanked by disposal where personal, and added to registers holding data by migration 0015."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bscp_desktop.domain.vocab import IncidentLocation, LocationType, RecordClass
from bscp_desktop.reports import ReportOptions, render
from bscp_desktop.services import Services, ValidationError
from bscp_desktop.services.incidents.children import ChildInput
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.panel_details import PanelDetails

D = dt.date
ABROAD = PanelDetails(location=IncidentLocation.OUTSIDE_ENGLAND, location_type=LocationType.PUBLIC,
                      place="Fictional Town, Wales", incident_time="14:30",
                      case_outline="A fictional outline for the Panel.", notifier_name="A Fictional Notifier",
                      notifier_role="Head of Safeguarding", notifier_phone="0121 000 0000",
                      notifier_email="notifier@example.org")


def sheet_text(svc: Any, tmp_path: Path, ref: str) -> str:
    out = render(svc, "notification", tmp_path / "sheet.pdf", ReportOptions(D(2026, 11, 20), case=ref))
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)


def test_the_details_are_kept_and_printed_on_the_sheet(svc: Any, tmp_path: Path) -> None:
    v = svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2), D(2026, 11, 1), panel=ABROAD,
                                             notes="Internal notes only")).value
    assert svc.incidents.get(v.id).panel == ABROAD
    text = sheet_text(svc, tmp_path, v.local_ref)
    for words in ("Where it happened Outside England", "Kind of place Public place", "Place Fictional Town, Wales",
                  "Date of the incident 01/11/2026 at 14:30", "A Fictional Notifier, Head of Safeguarding, "
                  "0121 000 0000, notifier@example.org", "Case outline for the Panel",
                  "A fictional outline for the Panel."):
        assert words in text, words
    assert "Internal notes only" not in text  # the notes stay internal
    changed = dataclasses.replace(ABROAD, location=IncidentLocation.IN_AREA, place="", incident_time="")
    v = svc.incidents.update(v.id, v.version, IncidentInput("Child A", "died", D(2026, 11, 2), panel=changed)).value
    assert v.panel == changed


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"incident_time": "25:00"}, "Time of the incident", "is not a time: use HH:MM"),
    ({"notifier_email": "not-an-address"}, "Notifier's e-mail", "is not an e-mail address"),
    ({"place": ""}, "Place", "is required for an incident outside England"),
    ({"location": "moon"}, "Where it happened", "must be one of"),
    ({"place": "x" * 201}, "Place", "must be at most 200 characters"),
])
def test_each_detail_is_checked_naming_its_field(svc: Any, change: dict[str, str], field: str,
                                                 words: str) -> None:
    with pytest.raises(ValidationError) as e:
        svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2),
                                             panel=dataclasses.replace(ABROAD, **change)))
    assert words in e.value.for_field(field)


def test_a_new_incident_takes_the_partnerships_notifier_unless_it_names_one(svc: Any) -> None:
    settings = dataclasses.replace(svc.settings.get(), notifier_name="Default Notifier", notifier_role="Duty lead",
                                   notifier_phone="0121 111 1111", notifier_email="duty@example.org")
    svc.settings.update(settings)
    v = svc.incidents.register(IncidentInput("Child B", "died", D(2026, 11, 2))).value
    assert (v.panel.notifier_name, v.panel.notifier_email) == ("Default Notifier", "duty@example.org")
    w = svc.incidents.register(IncidentInput("Child C", "died", D(2026, 11, 2), panel=ABROAD)).value
    assert w.panel.notifier_name == "A Fictional Notifier"
    with pytest.raises(ValidationError) as e:
        svc.settings.update(dataclasses.replace(settings, notifier_email="nobody"))
    assert "is not an e-mail address" in e.value.for_field("Notifier's e-mail")


def test_a_fifth_child_goes_in_the_further_information_part_of_the_sheet(svc: Any, tmp_path: Path) -> None:
    children = tuple(ChildInput(f"Child {c}", "seriously harmed", "5-9") for c in "ABCDE")
    v = svc.incidents.register(IncidentInput(became_aware=D(2026, 11, 2), children=children)).value
    text = sheet_text(svc, tmp_path, v.local_ref)
    assert "Further information: children 5 on" in text and "further-information box" in text
    assert text.index("Child D") < text.index("Further information") < text.index("Child E")


def test_disposal_blanks_the_place_the_outline_and_the_notifier(svc: Any) -> None:
    from tests.core.test_retention import closed_incident

    inc = closed_incident(svc, "Child Old", D(2015, 12, 1), D(2016, 3, 1))
    v = svc.incidents.get(inc.id)
    with svc.db.write() as s:  # recorded back then (the form has no edit once closed)
        from bscp_desktop.models import Incident

        row = s.get(Incident, v.id)
        assert row is not None
        for key, value in dataclasses.asdict(ABROAD).items():
            setattr(row, key, value)
    svc.retention.dispose(RecordClass.INCIDENT, v.id)
    p = svc.incidents.get(v.id).panel
    assert (p.place, p.case_outline, p.notifier_name, p.notifier_phone, p.notifier_email) == ("", "", "", "", "")
    assert (p.location, p.location_type) == (ABROAD.location, ABROAD.location_type)  # not personal: kept


@pytest.mark.plain_only
def test_0015_adds_the_details_to_a_register_holding_data(tmp_path: Path) -> None:
    from tests.core.test_migrations import _register_at

    path = tmp_path / "old.db"
    _register_at(path, "0014")
    with sqlite3.connect(path) as con:
        before = con.execute("SELECT id, local_ref, pseudonym, notes FROM incidents").fetchall()
    svc = Services.open(path)
    try:
        v = svc.incidents.get(1)
        assert (v.panel, v.pseudonym, v.notes) == (PanelDetails(), "Child A", "Kept note")
    finally:
        svc.close()
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT id, local_ref, pseudonym, notes FROM incidents").fetchall() == before


def test_an_import_takes_the_details_and_checks_them(svc: Any, tmp_path: Path) -> None:
    from tests.conftest import write_workbook

    header = ["Pseudonym", "Harm", "Became aware", "Where it happened", "Kind of place", "Place",
              "Time of the incident", "Case outline for the Panel", "Notifier's name", "Notifier's e-mail"]
    bad = write_workbook(tmp_path / "bad.xlsx", header, [
        ["Child A", "Died", "02/11/2026", "Outside England", "Public place", "", "25:00", "", "", "nobody"],
        ["Child B", "Died", "02/11/2026", "On the moon", "", "", "", "", "", ""]])
    problems = {(p.line, p.field) for p in svc.incident_import.check(bad).problems}
    assert {(2, "Place"), (2, "Time of the incident"), (2, "Notifier's e-mail"), (3, "Where it happened")} <= problems
    good = write_workbook(tmp_path / "good.xlsx", header, [
        ["Child C", "Died", "02/11/2026", "Outside England", "Public place", "Fictional Town, Wales", "14:30",
         "A fictional outline.", "", ""]])
    svc.settings.update(dataclasses.replace(svc.settings.get(), notifier_name="Default Notifier"))
    svc.incident_import.apply(svc.incident_import.check(good))
    from bscp_desktop.services.registers.registers import RegisterFilter

    [iid] = svc.registers.incident_ids(RegisterFilter(text="Child C"))
    p = svc.incidents.get(iid).panel
    assert (p.location, p.place, p.incident_time, p.case_outline, p.notifier_name) == (
        IncidentLocation.OUTSIDE_ENGLAND, "Fictional Town, Wales", "14:30", "A fictional outline.", "Default Notifier")
