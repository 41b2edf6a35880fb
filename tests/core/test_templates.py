"""Import templates: every column the importer reads, and an example row that imports as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bscp_desktop.cli import main
from bscp_desktop.services.exchange import action_plan_import, catalogue_import, incident_import
from bscp_desktop.services.exchange.templates import TEMPLATES, write_template


@pytest.mark.parametrize(("kind", "columns"), [("incidents", incident_import.COLUMNS),
                                               ("action-plan", action_plan_import.COLUMNS),
                                               ("catalogue", catalogue_import.COLUMNS)])
def test_a_template_names_every_column_and_explains_them(tmp_path: Path, kind: str, columns: Any) -> None:
    book = load_workbook(write_template(kind, tmp_path / f"{kind}.xlsx"))
    header = [c.value for c in book["Import"][1]]
    assert header == [aliases[0] for aliases in columns.values()]
    guide = [tuple(c.value for c in row) for row in book["Columns"].iter_rows(min_row=2)]
    assert [g[0] for g in guide] == header and all(g[2] for g in guide)  # every column says what it takes


def test_each_example_row_imports_as_it_is(svc: Any, tmp_path: Path) -> None:
    for kind in TEMPLATES:
        write_template(kind, tmp_path / f"{kind}.xlsx")
    assert svc.incident_import.apply(svc.incident_import.check(tmp_path / "incidents.xlsx")).value == 1
    assert svc.catalogue_import.apply(svc.catalogue_import.check(tmp_path / "catalogue.xlsx")).value == 1
    rid, _ = svc.actions.review_choices()[0]
    plan = svc.action_plan_import.check(tmp_path / "action-plan.xlsx", rid)
    assert svc.action_plan_import.apply(plan).value == 1


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "catalogue", "--out", str(tmp_path / "c.xlsx")]) == 0
    assert (tmp_path / "c.xlsx").exists() and "replace its example row" in capsys.readouterr().out
    assert main(["template", "register", "--out", str(tmp_path / "r.xlsx")]) == 2
    assert main(["template", "catalogue", "--out", str(tmp_path / "c.csv")]) == 2
