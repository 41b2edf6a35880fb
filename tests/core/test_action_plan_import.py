"""Importing a review's action plan from a spreadsheet: recommendations and agency actions, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.cli import main
from bscp_desktop.services import ValidationError
from tests.conftest import fingerprint, write_workbook

D = dt.date
HEADER = ["Rec no", "Recommendation", "Action", "Lead agency", "Owner", "Target date", "Status", "Completed on"]
PLAN = [
    ["R1", "Agencies share chronologies within five working days.", "Audit information sharing",
     "West Midlands Police", "Safeguarding lead", dt.datetime(2026, 12, 31), "Ongoing", None],
    ["R1", None, "Train front-line staff", "Birmingham Children's Trust", "Head of service", "31/01/2027",
     "Not started", None],  # the recommendation's text is on its first row only (merged cells)
    [2, "Learning is shared with schools.", "Briefing to head teachers", None, "Named lead", "28/02/2026",
     "complete", "15/03/2026"],
]


def sheet(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    return write_workbook(path, header, rows)


def review_id(svc: Any) -> int:
    rid, _ref = svc.actions.review_choices()[0]
    return int(rid)


def test_a_plan_adds_recommendations_and_actions(svc: Any, tmp_path: Path) -> None:
    rid = review_id(svc)
    plan = svc.action_plan_import.check(sheet(tmp_path / "plan.xlsx", PLAN), rid)
    assert plan.ok and len(plan.rows) == 3, plan.problems
    op = svc.action_plan_import.apply(plan)
    assert op.value == 3 and op.changes.touches("action")
    recs = {r.number: r for r in svc.actions.recommendations(rid)}
    assert recs[1].text == "Agencies share chronologies within five working days." and len(recs[1].actions) == 2
    first, second = sorted(recs[1].actions, key=lambda a: a.description)
    assert (first.description, first.agency, first.due_date, first.status) == (
        "Audit information sharing", "West Midlands Police", D(2026, 12, 31), "in progress")
    assert (second.agency, second.due_date, second.status) == ("Birmingham Children's Trust", D(2027, 1, 31),
                                                               "not started")
    [done] = recs[2].actions
    assert (done.status, done.completed_date, done.agency_id) == ("completed", D(2026, 3, 15), None)
    # A second plan adds actions to recommendation 1 without needing its text again.
    more = svc.action_plan_import.check(sheet(tmp_path / "more.xlsx", [["1", None, "Re-audit", None, None, None,
                                                                        None, None]]), rid)
    assert more.ok
    svc.action_plan_import.apply(more)
    assert len({r.number: r for r in svc.actions.recommendations(rid)}[1].actions) == 3


def test_every_problem_is_reported_and_nothing_is_written(svc: Any, tmp_path: Path) -> None:
    rid = review_id(svc)
    rows = [
        ["one", "Text", "An action", None, None, None, None, None],                  # not a number
        ["3", None, "An action", None, None, None, None, None],                      # new number, no text
        ["4", "Text", "", None, None, None, None, None],                             # no action
        ["5", "Text", "An action", "West Midland Police", None, None, None, None],   # a misspelt agency
        ["6", "Text", "An action", None, None, "soon", None, None],                  # not a date
        ["7", "Text", "An action", None, None, None, "Completed", None],             # completed without a date
        ["8", "Text", "An action", None, None, None, "Maybe", None],                 # unknown status
    ]
    before = fingerprint(svc)
    plan = svc.action_plan_import.check(sheet(tmp_path / "bad.xlsx", rows), rid)
    said = {(p.line, p.field): p.message for p in plan.problems}
    assert set(said) >= {(2, "Recommendation number"), (3, "Recommendation"), (4, "Action"), (5, "Agency"),
                         (6, "Due date"), (7, "Completed on"), (8, "Status")}
    assert said[(5, "Agency")].endswith("did you mean West Midlands Police?")
    with pytest.raises(ValidationError):
        svc.action_plan_import.apply(plan)
    assert fingerprint(svc) == before


def test_import_command_for_an_action_plan(svc: Any, db_url: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    rid = review_id(svc)
    ref = dict(svc.actions.review_choices())[rid]
    path = sheet(tmp_path / "plan.xlsx", PLAN)
    assert main(["import", str(path), "--db", db_url, "--action-plan", ref]) == 0
    assert f"Imported 3 actions into {ref}" in capsys.readouterr().out
    assert sum(len(r.actions) for r in svc.actions.recommendations(rid)) == 3
    assert main(["import", str(path), "--db", db_url, "--action-plan", "BSCP1999-00/01"]) == 2
    assert "no review has the reference" in capsys.readouterr().err
