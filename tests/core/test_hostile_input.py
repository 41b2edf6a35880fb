"""Hostile and odd input refused cleanly, naming the field: formulas in exported and imported cells, workbooks
whose formulas hold no values, impossible dates, non-ASCII digits, lone surrogates, runaway sizes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bscp_desktop.cli import main
from bscp_desktop.services import ValidationError
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.util.dates import EARLIEST, parse_date
from bscp_desktop.util.formulas import looks_like_formula, neutralise
from tests.conftest import write_workbook


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_each_leading_formula_character_is_neutralised(start: str) -> None:
    text = f"{start}HYPERLINK(\"http://example.invalid/?\"&A1,\"Click\")"
    assert neutralise(text) == "'" + text
    assert neutralise("Child A") == "Child A" and neutralise("-3") == "-3" and neutralise("") == ""


def test_a_csv_export_never_writes_a_formula(tmp_path: Path) -> None:
    from bscp_desktop.services.registers.columns import Column
    from bscp_desktop.services.registers.export import export_view

    rows = {1: ["=HYPERLINK(\"x\")", "+SUM(A1)"], 2: ["-cmd|' /C calc'!A0", "@SUM(1)"], 3: ["\tTab", "\rCR"]}
    columns = [Column("pseudonym", "Pseudonym", lambda r: r[0]), Column("notes", "Notes", lambda r: r[1])]
    out = tmp_path / "view.csv"
    assert export_view(out, "Incidents", columns, [1, 2, 3], lambda ids: {i: rows[i] for i in ids},
                       lambda _f, _m: None) == 3
    import csv

    with out.open(encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in list(csv.reader(fh))[1:] for c in row]
    assert len(cells) == 6 and all(c.startswith("'") for c in cells)


@pytest.mark.parametrize(("text", "formula"), [("=1+1", True), ("@SUM(A1)", True), ("+HYPERLINK(x)", True),
                                               ("-cmd|x", True), ("- see the notes", False), ("-3", False),
                                               ("Child A", False), ("--", False)])
def test_which_cells_look_like_formulas(text: str, formula: bool) -> None:
    assert looks_like_formula(text) is formula


def test_an_import_refuses_a_formula_cell_naming_row_and_column(svc: object, tmp_path: Path) -> None:
    f = tmp_path / "rows.csv"
    f.write_text("Pseudonym,Harm,Became aware\n\"=HYPERLINK(\"\"http://x.invalid\"\")\",Died,03/02/2025\n",
                 encoding="utf-8")
    plan = svc.incident_import.check(f)  # type: ignore[attr-defined]
    assert [(p.line, p.field) for p in plan.problems] == [(2, "Pseudonym")]
    assert "looks like a spreadsheet formula" in plan.problems[0].message


def test_a_workbook_formula_without_a_value_is_told_as_such(svc: object, tmp_path: Path) -> None:
    f = write_workbook(tmp_path / "rows.xlsx", ["Pseudonym", "Harm", "Became aware"],
                       [["=CONCATENATE(\"Child \",\"B\")", "Died", dt.date(2025, 2, 3)]])  # openpyxl stores no value
    plan = svc.incident_import.check(f)  # type: ignore[attr-defined]
    assert len(plan.problems) == 1 and plan.problems[0].field == "Pseudonym"
    assert "is a formula" in plan.problems[0].message and "is required" not in plan.problems[0].message


def test_a_five_megabyte_cell_is_a_problem_not_a_csv_error(svc: object, tmp_path: Path) -> None:
    f = tmp_path / "rows.csv"
    f.write_text(f"Pseudonym,Harm,Became aware,Notes\nChild L,Died,03/02/2025,\"{'x' * 5_000_000}\"\n",
                 encoding="utf-8")
    plan = svc.incident_import.check(f)  # type: ignore[attr-defined]
    assert [(p.line, p.field) for p in plan.problems] == [(2, "Notes")]
    assert "characters long" in plan.problems[0].message


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(1989, 12, 31)])
def test_a_became_aware_date_before_the_floor_is_refused(svc: object, day: dt.date) -> None:
    with pytest.raises(ValidationError) as e:
        svc.incidents.register(IncidentInput("Child O", "died", day))  # type: ignore[attr-defined]
    assert [p.field for p in e.value.problems] == ["Became aware"]
    assert f"{EARLIEST:%d/%m/%Y}" in e.value.problems[0].message


def test_an_archive_request_received_before_the_floor_is_refused(svc: object) -> None:
    from bscp_desktop.services.catalogue.requests import RequestInput

    review = svc.catalogue.entries(None, dt.date(2026, 11, 20))[0]  # type: ignore[attr-defined]
    data = RequestInput(received_date=dt.date(1985, 5, 1), requester_name="A Researcher", email="a@example.org",
                        review_ids=(review.id,))
    with pytest.raises(ValidationError) as e:
        svc.requests.log(data)  # type: ignore[attr-defined]
    assert [p.field for p in e.value.problems] == ["Received"]


@pytest.mark.parametrize("text", ["２０２５-０１-０１", "٢٠٢٥-٠١-٠١", "０３/０２/２０２５"])
def test_dates_accept_ascii_digits_only(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text)


def test_text_with_lone_surrogates_is_stored_cleaned(svc: object) -> None:
    view = svc.incidents.register(  # type: ignore[attr-defined]
        IncidentInput("Child \udc80S", "died", dt.date(2026, 11, 2), notes="pasted \ud800 text")).value
    got = svc.incidents.get(view.id)  # type: ignore[attr-defined]
    assert got.pseudonym == "Child \ufffdS" and got.notes == "pasted \ufffd text"
    from bscp_desktop.services.registers.registers import RegisterFilter

    found = svc.registers.incident_ids(RegisterFilter(text="Child \udc80S"))  # type: ignore[attr-defined]
    assert view.id in found  # a search holding one is cleaned the same way: no crash, and it finds the case


def test_nul_characters_are_removed_before_they_reach_the_database(svc: object) -> None:
    view = svc.incidents.register(  # type: ignore[attr-defined]
        IncidentInput("Child\x00 N", "died", dt.date(2026, 11, 2), notes="from a\x00 broken file")).value
    got = svc.incidents.get(view.id)  # type: ignore[attr-defined]
    assert (got.pseudonym, got.notes) == ("Child N", "from a broken file")


def test_text_longer_than_its_field_is_refused_naming_it(svc: object, tmp_path: Path) -> None:
    from tests.conftest import fingerprint

    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:  # a field the form checks itself
        svc.incidents.register(IncidentInput("C" * 101, "died", dt.date(2026, 11, 2)))  # type: ignore[attr-defined]
    assert e.value.for_field("Pseudonym") == "must be at most 100 characters"
    with pytest.raises(ValidationError) as e:  # any other: every write's flush checks every text column
        svc.incidents.register(  # type: ignore[attr-defined]
            IncidentInput("Child L", "died", dt.date(2026, 11, 2), lead_officer="O" * 250))
    assert str(e.value) == "Lead officer: must be at most 100 characters (it is 250)"
    assert fingerprint(svc) == before
    sheet = write_workbook(tmp_path / "long.xlsx", ["Pseudonym", "Harm", "Became aware"],
                           [["C" * 101, "Died", "02/11/2026"]])
    plan = svc.incident_import.check(sheet)  # type: ignore[attr-defined]
    assert [(p.line, p.field, p.message) for p in plan.problems] == [
        (2, "Pseudonym", "must be at most 100 characters")]
    sheet = write_workbook(tmp_path / "long.xlsx", ["Pseudonym", "Harm", "Became aware", "Panel reference"],
                           [["Child L", "Died", "02/11/2026", "P" * 61]])
    assert [(p.line, p.field, p.message) for p in svc.incident_import.check(sheet).problems] == [  # type: ignore
        (2, "Panel reference", "must be at most 60 characters (it is 61)")]


@pytest.mark.parametrize("impossible", [0, -1, 2**31, 2**63 - 1])
def test_an_impossible_id_is_not_found(svc: object, impossible: int) -> None:
    from bscp_desktop.services import NotFound

    with pytest.raises(NotFound):
        svc.incidents.close(impossible, 1, dt.date(2026, 11, 3), "Duplicate")  # type: ignore[attr-defined]


def test_demo_size_is_capped_and_an_empty_action_plan_reference_refused(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", str(tmp_path / "d.db"), "--incidents", "10000000"]) == 2
    assert "200,000" in capsys.readouterr().err
    rows = tmp_path / "rows.csv"
    rows.write_text("Pseudonym,Harm,Became aware\nChild Q,Died,03/02/2025\n", encoding="utf-8")
    assert main(["demo", "--db", str(tmp_path / "r.db"), "--incidents", "3"]) == 0
    capsys.readouterr()
    assert main(["import", str(rows), "--db", str(tmp_path / "r.db"), "--action-plan", ""]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--action-plan needs the reference" in err


def test_the_date_floor_is_the_calendars_first_year() -> None:
    from bscp_desktop.domain.working_days import FIRST_YEAR

    assert EARLIEST == dt.date(FIRST_YEAR, 1, 1)
