"""File › Import incidents: a file with problems can't be imported; a good one is, and the register shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import idle


def test_import_incidents_from_a_spreadsheet(qtbot: Any, window: Any, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.dialogs import import_dialog

    svc = window.ctx._svc
    before = svc.incidents.count()
    bad = tmp_path / "bad.csv"
    bad.write_text("Pseudonym,Harm,Became aware\nChild Imp,Hurt,03/02/2025\n", encoding="utf-8")
    monkeypatch.setattr(import_dialog, "choose_sheet", lambda _p: bad)
    window.act_import.trigger()
    idle(qtbot, window)
    dlg = window.importer
    assert not dlg.import_button.isEnabled() and "1 problem" in dlg.summary.text()
    assert [dlg.table.item(0, c).text() for c in range(2)] == ["2", "Harm"]
    qtbot.mouseClick(dlg.copy_button, Qt.MouseButton.LeftButton)
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text().splitlines()[1].startswith("2\tHarm\t'Hurt' is not one of")
    dlg.reject()

    good = tmp_path / "good.csv"
    good.write_text("Reference,Pseudonym,Harm,Became aware,Notified to the Panel\n"
                    "SI2019-20/051,Child Imp,Died,03/02/2020,07/02/2020\n"
                    ",Child Imq,Seriously harmed,04/11/2026,\n", encoding="utf-8")
    monkeypatch.setattr(import_dialog, "choose_sheet", lambda _p: good)
    window.act_import.trigger()
    idle(qtbot, window)
    dlg = window.importer
    assert dlg.import_button.isEnabled() and "2 incidents" in dlg.summary.text()
    assert dlg.table.item(0, 1).text() == "SI2019-20/051" and dlg.table.item(1, 1).text() == "numbered on import"
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert svc.incidents.count() == before + 2 and dlg.imported == 2 and not dlg.isVisible()
    assert answers["shown"][-1][0] == "Imported"
    window.show_page("Incidents")
    page = window.incidents
    page.search.setText("Child Imq")
    page.requery()
    idle(qtbot, window)
    assert len(page.model.ids) == 1  # the register shows the new case


def test_a_file_that_is_not_a_register_is_explained(qtbot: Any, window: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.dialogs import import_dialog

    notes = tmp_path / "notes.csv"
    notes.write_text("Name,Comment\nA,B\n", encoding="utf-8")
    monkeypatch.setattr(import_dialog, "choose_sheet", lambda _p: notes)
    window.act_import.trigger()
    idle(qtbot, window)
    title, text = answers["shown"][-1]
    assert title == "Cannot import" and "has no column for 'Pseudonym'" in text


def test_import_an_action_plan_from_the_actions_page(qtbot: Any, window: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.dialogs import import_dialog

    svc = window.ctx._svc
    window.show_page("Actions")
    idle(qtbot, window)
    page = window.actions_page
    rid, ref = svc.actions.review_choices()[0]
    numbers = {r.number for r in svc.actions.recommendations(rid)}
    new = max(numbers, default=0) + 1
    plan = tmp_path / "plan.csv"
    plan.write_text("Rec no,Recommendation,Action,Lead agency,Target date\n"
                    f"{new},Share chronologies sooner,Audit sharing,West Midlands Police,31/12/2026\n"
                    f"{new},,Train staff,Birmingham Children's Trust,31/01/2027\n", encoding="utf-8")
    monkeypatch.setattr(import_dialog, "choose_review", lambda _p, choices, _c: rid)
    monkeypatch.setattr(import_dialog, "choose_sheet", lambda _p, _t="": plan)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    dlg = page.importer
    assert dlg is not None and dlg.import_button.isEnabled() and ref in dlg.windowTitle()
    assert dlg.table.item(0, 1).text() == f"R{new} (new)" and dlg.table.item(1, 2).text() == "Train staff"
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert dlg.imported == 2 and answers["shown"][-1][0] == "Imported"
    rec = next(r for r in svc.actions.recommendations(rid) if r.number == new)
    assert rec.text == "Share chronologies sooner" and len(rec.actions) == 2
    idle(qtbot, window)
    assert {a.description for a in page.model.rows} >= {"Audit sharing", "Train staff"}  # the page refreshed


def test_import_a_catalogue_from_the_catalogue_page(qtbot: Any, window: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.dialogs import import_dialog

    path = tmp_path / "catalogue.csv"
    path.write_text("Case reference,Title,Published\nWSCP2023-24/01,Child W: neglect,03/06/2024\n", encoding="utf-8")
    monkeypatch.setattr(import_dialog, "choose_sheet", lambda _p, _t="": path)
    window.show_page("Catalogue")
    idle(qtbot, window)
    page = window.catalogue_page
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    dlg = page.importer
    assert dlg is not None and "1 review" in dlg.summary.text()
    assert [dlg.table.item(0, c).text() for c in range(5)] == ["2", "WSCP2023-24/01", "LCSPR", "Child W: neglect",
                                                              "03/06/2024"]
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert answers["shown"][-1] == ("Imported", "1 review imported from catalogue.csv.")
    idle(qtbot, window)
    assert "WSCP2023-24/01" in {e.reference for e in page.model.rows}  # the page refreshed


def test_save_the_import_templates(qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.dialogs import import_dialog

    monkeypatch.setattr(import_dialog, "choose_folder", lambda _p, _t: tmp_path)
    window.act_templates.trigger()
    idle(qtbot, window)
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert names == ["bscp-import-action-plan.xlsx", "bscp-import-catalogue.xlsx", "bscp-import-incidents.xlsx"]
    title, text = answers["shown"][-1]
    assert title == "Templates saved" and all(n in text for n in names)
