"""Hostile files given to ``import``: a workbook far past the row limit, a wide one, a folder, a device, a UTF-16
CSV, a file of many problems. Each is refused (or read) at once, in one pass, with one line naming the real
cause, and a file with thousands of problems lists the first 200 and counts the rest."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from bscp_desktop.cli import main
from bscp_desktop.services.exchange import sheet
from bscp_desktop.services.exchange.sheet import PROBLEMS_LISTED, SheetError, read_sheet
from tests.conftest import write_workbook

COLUMNS = {"pseudonym": ("Pseudonym",), "harm": ("Harm",), "became_aware": ("Became aware",)}


def wide_workbook(path: Path, rows: int, extra_columns: int) -> Path:
    """A workbook of ``rows`` rows of three named columns and ``extra_columns`` more (XlsxWriter: quick)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["Pseudonym", "Harm", "Became aware", *(f"Extra {i}" for i in range(extra_columns))])
    for r in range(1, rows + 1):
        ws.write_row(r, 0, [f"Child {r}", "died", "01/11/2026", *("x" for _ in range(extra_columns))])
    book.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.plain_only
def test_a_workbook_past_the_row_limit_is_refused_at_once(svc: object, db_url: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet, "MAX_ROWS", 2_000)  # the same rule, on a file small enough to make quickly
    path = wide_workbook(tmp_path / "big.xlsx", 30_000, 47)
    started = time.perf_counter()
    code, err = run(capsys, "import", str(path), "--db", db_url)
    assert time.perf_counter() - started < 5
    assert code == 2 and "has 30,000 rows; at most 2,000 can be imported at once" in err
    assert len(err.strip().splitlines()) == 1


def test_a_sheet_that_understates_its_size_is_still_stopped_at_the_limit(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose stated size is wrong (as other programs write them) is read only until the limit passes."""
    monkeypatch.setattr(sheet, "MAX_ROWS", 50)
    path = wide_workbook(tmp_path / "big.xlsx", 5_000, 2)
    read: list[int] = []
    real = sheet._xlsx

    def counting(p: Path):  # type: ignore[no-untyped-def]
        for row in real(p):
            read.append(1)
            yield row

    monkeypatch.setattr(sheet, "_xlsx", counting)
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    monkeypatch.setattr(ReadOnlyWorksheet, "max_row", property(lambda _self: None))  # nothing stated
    with pytest.raises(SheetError, match="more than 50 rows"):
        read_sheet(path, COLUMNS, ["pseudonym"])
    assert len(read) <= 52  # the header, the fifty rows, the one past the limit: no more


def test_too_many_columns_are_refused(tmp_path: Path) -> None:
    path = wide_workbook(tmp_path / "wide.xlsx", 3, sheet.MAX_COLUMNS + 5)
    with pytest.raises(SheetError, match=f"has {sheet.MAX_COLUMNS + 8} columns; at most {sheet.MAX_COLUMNS}"):
        read_sheet(path, COLUMNS, ["pseudonym"])
    csv_path = tmp_path / "wide.csv"
    csv_path.write_text(",".join(["Pseudonym", *(f"c{i}" for i in range(300))]) + "\nChild A\n", encoding="utf-8")
    with pytest.raises(SheetError, match="has 301 columns"):
        read_sheet(csv_path, COLUMNS, ["pseudonym"])


def test_a_utf16_csv_is_read(tmp_path: Path) -> None:
    text = "Pseudonym,Harm,Became aware\r\nChild Ä,died,01/11/2026\r\n"
    for name, data in (("bom.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
                       ("big-endian.csv", codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
                       ("no-bom.csv", text.encode("utf-16-le"))):
        (tmp_path / name).write_bytes(data)
        got = read_sheet(tmp_path / name, COLUMNS, ["pseudonym"])
        assert [cells["pseudonym"] for _, cells in got.rows] == ["Child Ä"], name


@pytest.mark.plain_only
def test_folders_devices_and_missing_files_are_told_for_what_they_are(svc: object, db_url: str, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "a folder.csv"
    folder.mkdir()
    cases = [(str(folder), "is a folder, not a spreadsheet file"),
             ("/dev/zero", "is not a regular file (a device or a pipe)"),
             (str(tmp_path / "missing.xlsx"), "does not exist")]
    for target, words in cases:
        code, err = run(capsys, "import", target, "--db", db_url)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, (target, err)


@pytest.mark.plain_only
def test_thousands_of_problems_list_the_first_and_count_the_rest(svc: object, db_url: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = write_workbook(tmp_path / "bad.xlsx", ["Pseudonym", "Harm", "Became aware"],
                          [["", "no such harm", "not a date"] for _ in range(5_000)])
    code, err = run(capsys, "import", str(path), "--db", db_url)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == PROBLEMS_LISTED + 2
    assert lines[0].startswith("Row 2: ")
    assert lines[-2] == f"… and {10_000 - PROBLEMS_LISTED:,} more problems after these"  # two a row
    assert lines[-1].endswith("10,000 problems in bad.xlsx: nothing was imported")
