"""Importing an incident register kept in a spreadsheet: every problem reported by row and column, nothing
written until the whole file is right, then every row in one transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bscp_desktop.cli import main
from bscp_desktop.domain.rules import Rag
from bscp_desktop.domain.vocab import Role
from bscp_desktop.models import AuditEntry, Incident
from bscp_desktop.services import ValidationError
from bscp_desktop.services.exchange.sheet import SheetError
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.registers.registers import RegisterFilter
from tests.conftest import fingerprint, write_workbook

D = dt.date
HEADER = ["Reference", "Pseudonym", "Harm", "Became aware", "Notified to the Panel", "Rapid Review sent",
          "Decision", "Decision date", "Reasons", "Closed", "Closed reason", "Lead officer"]


def workbook(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    return write_workbook(path, header, rows)


GOOD = [
    ["SI2024-25/007", "Child P", "Died", dt.datetime(2025, 2, 3), dt.datetime(2025, 2, 7), "21/02/2025",
     "No LCSPR", "10/03/2025", "Learning captured in the Rapid Review", "31/03/2025", "Learning shared", "Officer 1"],
    ["SI2024-25/008", "Child Q", "serious harm", D(2025, 3, 10), "14/03/2025", None, None, None, None, None, None,
     None],
    [None, None, None, None, None, None, None, None, None, None, None, None],  # a blank row is skipped
    [None, "Child R", "Died", "2026-11-05", None, None, None, None, None, None, None, "Officer 2"],
]


def test_a_good_file_imports_every_row_with_its_lifecycle(svc: Any, tmp_path: Path) -> None:
    plan = svc.incident_import.check(workbook(tmp_path / "register.xlsx", GOOD))
    assert plan.ok and [r.line for r in plan.rows] == [2, 3, 5]
    op = svc.incident_import.apply(plan)
    assert op.value == 3 and op.changes.ids["incident"]
    by_ref = {v.local_ref: v for v in (svc.incidents.get(i) for i in op.changes.ids["incident"])}
    p, q, r = by_ref["SI2024-25/007"], by_ref["SI2024-25/008"], by_ref["SI2026-27/001"]
    assert (p.stage, p.notified_date, p.closed_date, p.closed_reason) == ("closed", D(2025, 2, 7), D(2025, 3, 31),
                                                                         "Learning shared")
    assert p.rapid_review is not None and (p.rapid_review.sent_date, p.rapid_review.decision) == (D(2025, 2, 21),
                                                                                                 "no-review")
    assert (q.stage, q.harm, q.notified_date, q.rapid_review) == ("rapid-review", "seriously harmed",
                                                                  D(2025, 3, 14), None)
    assert (r.stage, r.lead_officer, r.became_aware) == ("notification", "Officer 2", D(2026, 11, 5))
    assert r.local_authority == svc.settings.get().local_authority  # the partnership's, when the file has none
    # The clocks run from the imported dates, and the register's numbering continues after the references.
    [notification, rapid] = svc.clocks.for_incident(q.id)
    assert notification.rag is Rag.MET and (rapid.due, rapid.rag) == (D(2025, 4, 4), Rag.OVERDUE)
    assert svc.incidents.register(IncidentInput("Child Z", "died", D(2025, 3, 20))).value.local_ref == "SI2024-25/009"
    with svc.db.read() as s:
        audited = s.scalars(select(AuditEntry.summary).where(AuditEntry.action == "import incident")).all()
    assert sorted(audited) == sorted(f"{ref} from register.xlsx" for ref in by_ref)
    # The rows went in as plain multi-row inserts: each case's earliest open clock is what the forms keep.
    assert svc.due_keeper.recompute_all() == 0
    with svc.db.read() as s:
        assert s.execute(select(Incident.next_due).where(Incident.id == q.id)).scalar_one() == D(2025, 4, 4)


def test_every_problem_is_reported_and_nothing_is_written(svc: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Pseudonym,Harm,Became aware,Notified to Panel,RR sent,Decision,Decision date,Closed,Mystery\n"
        "Child A,Died,03/02/2025,01/02/2025,,,,,x\n"             # notified before aware
        "Child B,Hurt,31/02/2025,,,,,,\n"                        # unknown harm, impossible date
        ",Died,03/02/2025,,,,,,\n"                               # no pseudonym
        "Child C,Died,03/02/2025,,21/02/2025,,,,\n"              # Rapid Review without notification
        "Child D,Died,03/02/2025,04/02/2025,20/02/2025,No review,,,\n"  # no decision date, no reasons
        "Child E,Died,03/02/2025,,,,,01/03/2025,\n"              # closed without a reason
        "Child F,Died,03/02/2099,,,,,,\n",                       # in the future
        encoding="utf-8")
    before = fingerprint(svc)
    plan = svc.incident_import.check(path)
    said = {(p.line, p.field) for p in plan.problems}
    assert {(2, "Notified to the Panel"), (3, "Harm"), (3, "Became aware"), (4, "Pseudonym"),
            (5, "Rapid Review sent"), (6, "Decision date"), (6, "Decision reasons"), (7, "Closed reason"),
            (8, "Became aware")} <= said
    assert plan.ignored_columns == ("Mystery",) and not plan.ok
    assert "is not a date" in next(p.message for p in plan.problems if (p.line, p.field) == (3, "Became aware"))
    with pytest.raises(ValidationError):
        svc.incident_import.apply(plan)
    assert fingerprint(svc) == before


def test_references_and_cases_already_registered_are_refused(svc: Any, tmp_path: Path) -> None:
    path = workbook(tmp_path / "r.xlsx", GOOD)
    svc.incident_import.apply(svc.incident_import.check(path))
    again = svc.incident_import.check(path)
    assert {(p.line, p.field) for p in again.problems} == {(2, "Reference"), (3, "Reference"), (5, "Pseudonym")}
    assert "already in the register as SI2026-27/001" in str(again.problems[-1])
    twice = svc.incident_import.check(workbook(tmp_path / "t.xlsx", [GOOD[1], ["SI2024-25/08", *GOOD[3][1:]]]))
    assert [str(p) for p in twice.problems if "also on row" in p.message] == [
        "Row 3: Reference SI2024-25/08 is also on row 2"]


def test_a_reference_taken_after_the_check_stops_the_import(svc: Any, tmp_path: Path) -> None:
    plan = svc.incident_import.check(workbook(tmp_path / "r.xlsx", GOOD[:2]))
    assert plan.ok
    other = svc.incident_import.check(workbook(tmp_path / "o.xlsx", [GOOD[1]]))
    svc.incident_import.apply(other)  # a colleague imports SI2024-25/008 meanwhile
    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:
        svc.incident_import.apply(plan)
    assert "Row 3: Reference" in str(e.value.problems[0].field)
    assert fingerprint(svc) == before  # all or nothing: SI2024-25/007 was not added either


def test_files_that_are_not_registers(svc: Any, tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="no column for 'Became aware'"):
        svc.incident_import.check(workbook(tmp_path / "w.xlsx", [], header=["Pseudonym", "Harm"]))
    empty = tmp_path / "e.csv"
    empty.write_text("")
    with pytest.raises(SheetError, match="is empty"):
        svc.incident_import.check(empty)
    fake = tmp_path / "f.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(SheetError, match="not an Excel workbook"):
        svc.incident_import.check(fake)


def test_excel_csv_from_a_windows_pc(svc: Any, tmp_path: Path) -> None:
    path = tmp_path / "ansi.csv"  # semicolons and the Windows code page, as Excel saves CSV in many offices
    path.write_bytes("Pseudonym;Harm;Became aware;Sex\nChild Zoë;Died;03/02/2025;F\n".encode("cp1252"))
    plan = svc.incident_import.check(path)
    child = plan.rows[0].details.child_list()[0]
    assert plan.ok and child.pseudonym == "Child Zoë" and child.sex == "female"


def test_import_command(svc: Any, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workbook(tmp_path / "register.xlsx", GOOD)
    assert main(["import", str(path), "--db", db_url, "--check"]) == 0
    assert "3 incidents ready to import" in capsys.readouterr().out and svc.incidents.count() == 0
    assert main(["import", str(path), "--db", db_url]) == 0
    assert "Imported 3 incidents" in capsys.readouterr().out and svc.incidents.count() == 3
    assert main(["import", str(path), "--db", db_url]) == 1  # the same file again: every row is refused
    err = capsys.readouterr().err
    assert "Row 2: Reference is already in the register" in err and "nothing was imported" in err
    assert main(["import", str(tmp_path / "missing.xlsx"), "--db", db_url]) == 2


def test_a_csv_note_may_run_over_several_lines(svc: Any, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('Pseudonym,Harm,Became aware,Notes\n"Child N",Died,03/02/2025,"First line\nsecond line"\n'
                    "Child O,Died,04/02/2025,\n", encoding="utf-8")
    plan = svc.incident_import.check(path)
    assert plan.ok and [r.line for r in plan.rows] == [2, 3]
    assert plan.rows[0].details.notes == "First line\nsecond line"


def test_a_colleague_whose_save_meets_an_import_is_told_who_is_importing(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bscp_desktop.services import Services
    from bscp_desktop.store import engine
    from bscp_desktop.store.errors import StoreUnavailable

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)  # the colleague gives up on the lock at once
    importer = Services.open(db_path, user="sam", today=lambda: D(2026, 11, 20))
    importer.initialise_new()
    importer.users.add("alex", Role.EDITOR)
    colleague = Services.open(db_path, user="alex", today=lambda: D(2026, 11, 20))
    plan = importer.incident_import.check(workbook(tmp_path / "register.xlsx", GOOD))
    original = importer.incident_import._insert

    def insert_while_a_colleague_saves(s: Any, records: list[dict[str, Any]]) -> Any:
        with pytest.raises(StoreUnavailable) as refused:
            colleague.incidents.register(IncidentInput("Child Y", "died", D(2026, 11, 2)))
        assert "sam is importing 3 incidents from register.xlsx (since " in str(refused.value)
        assert "Nothing was saved: try again in a minute" in str(refused.value)
        return original(s, records)

    monkeypatch.setattr(importer.incident_import, "_insert", insert_while_a_colleague_saves)
    assert importer.incident_import.apply(plan).value == 3
    # The note went with the import: the colleague's retry saves, and a lock now is told without a name.
    assert colleague.db.busy_note() == ""
    assert colleague.incidents.register(IncidentInput("Child Y", "died", D(2026, 11, 2))).value.local_ref
    importer.close()
    colleague.close()


def test_the_note_of_an_import_goes_when_the_import_fails(svc: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    plan = svc.incident_import.check(workbook(tmp_path / "register.xlsx", GOOD))

    def fail(*_args: Any) -> None:
        assert f"{svc.user} is importing 3 incidents" in svc.db.busy_note()
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(svc.incident_import, "_insert", fail)
    before = fingerprint(svc)
    with pytest.raises(RuntimeError):
        svc.incident_import.apply(plan)
    assert svc.db.busy_note() == "" and fingerprint(svc) == before


def test_several_children_and_their_characteristics_import(svc: Any, tmp_path: Path) -> None:
    header = ["Pseudonym", "Harm", "Became aware", "Looked after", "CP plan", "Notification reason",
              "Abuse or neglect suspected", "Child 2 pseudonym", "Child 2 harm", "Child 2 disability",
              "Child 3 pseudonym", "Child 3 harm"]
    path = write_workbook(tmp_path / "children.xlsx", header, [
        ["Child Sib1", "Died", "03/02/2025", "Yes", "Current", "", "", "Child Sib2", "Seriously harmed", "Y",
         "Child Sib3", "Seriously harmed"],
        ["Child Leaver", "Died", "04/02/2025", "", "", "Death of a care leaver under 25", "No", "", "", "", "", ""],
    ])
    plan = svc.incident_import.check(path)
    assert plan.ok, plan.problems
    svc.incident_import.apply(plan)
    sib = svc.incidents.get(svc.registers.incident_ids(RegisterFilter(text="Child Sib3"))[0])
    assert [(c.pseudonym, c.harm) for c in sib.children] == [
        ("Child Sib1", "died"), ("Child Sib2", "seriously harmed"), ("Child Sib3", "seriously harmed")]
    assert (sib.children[0].looked_after, sib.children[0].cp_plan, sib.children[1].disability) == (
        "yes", "current", "yes")
    leaver = svc.incidents.get(svc.registers.incident_ids(RegisterFilter(text="Child Leaver"))[0])
    assert (leaver.notification_reason, leaver.abuse_suspected, leaver.rapid_review_required) == (
        "care-leaver-death", False, False)
    bad = write_workbook(tmp_path / "bad.xlsx", header, [
        ["Child X", "Died", "03/02/2025", "Perhaps", "", "", "", "", "", "", "", ""],
        ["Child Y", "Died", "03/02/2025", "", "", "", "", "", "Died", "", "", ""]])
    plan = svc.incident_import.check(bad)
    found = {(p.line, p.field): p.message for p in plan.problems}
    assert set(found) == {(2, "Looked after"), (3, "Child 2 pseudonym")}
    assert "is required" in found[(3, "Child 2 pseudonym")]
