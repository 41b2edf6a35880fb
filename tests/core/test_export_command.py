"""``export``: each register to CSV and to an Excel workbook, with the pages' columns, a row per record, the
children counted and care leavers marked; bad arguments exit 2 with one line."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bscp_desktop.cli import main
from bscp_desktop.domain.vocab import NotificationReason
from bscp_desktop.services.incidents.children import ChildInput
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.registers.columns import incident_columns, review_columns

D = dt.date


@pytest.fixture
def register(svc: Any, db_path: Path) -> Path:
    """A SQLite register (the command opens it by path) with siblings, a care leaver's death and a demo."""
    svc.demo.build(40, 5, D(2026, 11, 20))
    svc.incidents.register(IncidentInput(became_aware=D(2026, 11, 2), children=(
        ChildInput("Child Sib1", "died"), ChildInput("Child Sib2", "seriously harmed"),
        ChildInput("Child Sib3", "seriously harmed"))))
    svc.incidents.register(IncidentInput("Child Leaver", "died", D(2026, 11, 3), abuse_suspected=False,
                                         notification_reason=NotificationReason.CARE_LEAVER_DEATH))
    return db_path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.plain_only
def test_incidents_to_csv_and_xlsx(register: Path, svc: Any, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "incidents.csv"
    assert main(["export", "incidents", "--db", str(register), "--out", str(out)]) == 0
    assert f"Wrote {svc.incidents.count():,} incidents" in capsys.readouterr().out
    rows = read_csv(out)
    assert list(rows[0]) == [c.title for c in incident_columns()]
    assert len(rows) == svc.incidents.count()
    by_name = {r["Pseudonym"]: r for r in rows}
    assert (by_name["Child Sib1 +2"]["Children"], by_name["Child Sib1 +2"]["Care leaver"]) == ("3", "No")
    assert (by_name["Child Leaver"]["Children"], by_name["Child Leaver"]["Care leaver"]) == ("1", "Yes")
    xlsx = tmp_path / "open.xlsx"
    assert main(["export", "incidents", "--db", str(register), "--out", str(xlsx), "--stage", "open"]) == 0
    sheet = load_workbook(xlsx).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [c.title for c in incident_columns()]
    assert all(r[values[0].index("Stage")] != "Closed" for r in values[1:])
    assert len(values) - 1 == sum(1 for r in rows if r["Stage"] != "Closed")
    aware = values[1][values[0].index("Became aware")]
    assert isinstance(aware, dt.datetime)  # a real date, not text


@pytest.mark.plain_only
def test_reviews_actions_and_requests(register: Path, svc: Any, tmp_path: Path) -> None:
    for name, count in (("reviews", None), ("actions", len(svc.actions.find())), ("requests", len(svc.requests.all()))):
        out = tmp_path / f"{name}.csv"
        assert main(["export", name, "--db", str(register), "--out", str(out)]) == 0
        rows = read_csv(out)
        assert rows and (count is None or len(rows) == count)
    assert list(read_csv(tmp_path / "reviews.csv")[0]) == [c.title for c in review_columns()]


@pytest.mark.parametrize("argv, words", [
    (["export", "things", "--out", "x.csv"], "unknown register 'things'"),
    (["export", "incidents", "--out", "x.txt"], "must be a .csv or .xlsx file"),
    (["export", "incidents", "--out", "x.csv", "--stage", "late"], "unknown stage 'late' for incidents"),
    (["export", "requests", "--out", "x.csv", "--stage", "notification"], "unknown stage 'notification'"),
])
def test_bad_arguments_exit_2_with_one_line(argv: list[str], words: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    argv = [a if not a.startswith("x.") else str(tmp_path / a) for a in argv]
    assert main([*argv, "--db", str(tmp_path / "none.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err, err
    assert not list(tmp_path.glob("x.*"))
