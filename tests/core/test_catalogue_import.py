"""Importing a partnership's catalogue of published reviews from a spreadsheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.cli import main
from bscp_desktop.services import ValidationError
from tests.conftest import fingerprint, write_workbook

D = dt.date
HEADER = ["Case reference", "Title", "Type", "Date published", "Themes", "Summary"]
ROWS = [
    ["WSCP2023-24/01", "Child W: neglect and school absence", "LCSPR", dt.datetime(2024, 6, 3), "Neglect",
     "A review of missed school."],
    ["WSCB 2016-17/02", "Child V: a serious case review", None, "12/05/2017", None, None],
    ["WDHR 2018-19/01", "Adult D", None, "2019-09-30", "Domestic abuse; Neglect", None],
]


def test_a_catalogue_adds_published_reviews(svc: Any, tmp_path: Path) -> None:
    plan = svc.catalogue_import.check(write_workbook(tmp_path / "c.xlsx", HEADER, ROWS))
    assert plan.ok, plan.problems
    op = svc.catalogue_import.apply(plan)
    assert op.value == 3 and op.changes.touches("catalogue")
    w, v, d = (svc.reviews.by_reference(r) for r in ("WSCP2023-24/01", "WSCB 2016-17/02", "WDHR 2018-19/01"))
    assert w is not None and v is not None and d is not None
    assert (w.kind, w.status, w.publication_date, w.summary) == ("lcspr", "published", D(2024, 6, 3),
                                                                  "A review of missed school.")
    assert (v.kind, d.kind) == ("scr", "dhr")  # from the prefixes when the file gives no kind
    entries = {e.reference: e for e in svc.catalogue.entries(as_of=D(2026, 11, 20))}
    assert entries["WSCP2023-24/01"].status == "published" and entries["WSCB 2016-17/02"].status == "archived"
    assert set(entries["WDHR 2018-19/01"].themes) == {"Domestic abuse", "Neglect"}


def test_every_problem_is_reported_and_nothing_is_written(svc: Any, tmp_path: Path) -> None:
    rows = [
        ["BSCP2021-22/02", "Already in the catalogue", None, None, None, None],  # shipped with the program
        ["WSCP2023-24/01", None, None, None, None, None],                        # no title
        ["Review 7", "Not a reference", None, None, None, None],
        ["WSCP2023-24/03", "From the future", None, "01/01/2099", None, None],
        ["WSCP2023-24/04", "Bad theme", None, None, "Neglekt", None],
        ["WSCP2023-24/05", "Twice", None, None, None, None],
        ["WSCP 2023-24/05", "Twice again", None, None, None, None],
    ]
    before = fingerprint(svc)
    plan = svc.catalogue_import.check(write_workbook(tmp_path / "bad.xlsx", HEADER, rows))
    said = {(p.line, p.field): p.message for p in plan.problems}
    assert set(said) == {(2, "Case reference"), (3, "Title"), (4, "Case reference"), (5, "Published"),
                         (6, "Themes"), (8, "Case reference")}
    assert "already in the catalogue" in said[(2, "Case reference")]
    assert said[(6, "Themes")].endswith("did you mean Neglect?")
    assert said[(8, "Case reference")] == "WSCP 2023-24/05 is also on row 7"
    with pytest.raises(ValidationError):
        svc.catalogue_import.apply(plan)
    assert fingerprint(svc) == before


def test_import_command_for_a_catalogue(svc: Any, db_url: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = write_workbook(tmp_path / "c.xlsx", HEADER, ROWS)
    assert main(["import", str(path), "--db", db_url, "--catalogue"]) == 0
    assert "Imported 3 reviews into the catalogue" in capsys.readouterr().out
    assert svc.reviews.by_reference("WDHR 2018-19/01") is not None
    assert main(["import", str(path), "--db", db_url, "--catalogue", "--action-plan", "X"]) == 2
