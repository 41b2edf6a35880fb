"""Pages: dashboard rows open records, registers filter in SQL, settings save, calculator, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from bscp_desktop.domain.rules import Rag
from tests.ui.conftest import idle, type_into

D = dt.date


def test_window_pages_and_shortcuts(qtbot: Any, window: Any) -> None:
    from bscp_desktop.ui.shell.main_window import PAGES

    for name in PAGES:
        window.show_page(name)
        idle(qtbot, window)
        assert window.current_page() is window.all_pages()[name]
    assert window.act_new.shortcut().toString() == "Ctrl+N"
    assert window.act_find.shortcut().toString() == "Ctrl+F"
    assert "F5" in [s.toString() for s in window.act_refresh.shortcuts()]
    assert window.act_print.shortcut().toString() == "Ctrl+P"
    assert window.nav.accessibleName() == "Pages"


def test_only_the_page_on_screen_is_made_at_the_start_and_another_is_made_wired_when_first_shown(
        qtbot: Any, window: Any, tmp_path: Path) -> None:
    from bscp_desktop.domain.vocab import Stage
    from bscp_desktop.services import Services
    from bscp_desktop.ui.runtime.context import AppContext
    from bscp_desktop.ui.shell.main_window import PAGES, MainWindow
    from tests.conftest import TODAY

    assert set(window.stack.made_pages()) == {"Dashboard"} and window.stack.count() == len(PAGES)
    window.show_page("Incidents")
    idle(qtbot, window)
    assert set(window.stack.made_pages()) == {"Dashboard", "Incidents"}
    page = window.incidents
    assert window.current_page() is page and page.model.ids, "made, shown and loaded at its first showing"
    page.open_record.emit(page.model.ids[0])
    idle(qtbot, window)
    assert [type(f).__name__ for f in window.forms] == ["IncidentForm"], "what the page asks of the window is wired"
    window.show_page("Themes")
    idle(qtbot, window)
    # The next start shows the page left open, and makes only that one; the dashboard is made when it is asked for.
    svc = Services.open(tmp_path / "ui.db", today=lambda: TODAY, user="tester")
    again = MainWindow(AppContext(svc))
    try:
        again.ctx.poll_timer.stop()
        qtbot.addWidget(again)
        again.show()
        idle(qtbot, again)
        assert set(again.stack.made_pages()) == {"Themes"} and again.current_page() is again.themes_page
        again.show_page("Dashboard")
        idle(qtbot, again)
        again.dashboard.show_stage.emit(Stage.RAPID_REVIEW.value)
        idle(qtbot, again)
        assert again.current_page() is again.incidents
        assert again.incidents.stage.currentData() == Stage.RAPID_REVIEW.value
        again.show_page("Dashboard")
        again.dashboard.show_overdue_actions.emit()  # the summary's link to the overdue actions
        idle(qtbot, again)
        assert again.current_page() is again.actions_page and again.actions_page.overdue.isChecked()
        again.show_page("Dashboard")
        assert not again.stack.is_made("Reports")
        again.act_print.trigger()  # Ctrl+P on the dashboard: the Reports page, made now, on the deadlines report
        assert again.current_page() is again.reports_page and again.reports_page.kind() == "deadlines"
    finally:
        again.ctx.poll_timer.stop()
        again.ctx.runner.wait()
        svc.close()


def test_dashboard_lists_urgent_clocks_and_opens_a_row(qtbot: Any, window: Any) -> None:
    window.show_page("Dashboard")
    idle(qtbot, window)
    page = window.dashboard
    clocks = page.clocks.clocks
    assert clocks, "the demo has overdue or due clocks"
    assert all(c.rag in (Rag.OVERDUE, Rag.DUE) for c in clocks)
    assert [c.rag for c in clocks] == sorted((c.rag for c in clocks), key=lambda r: r is not Rag.OVERDUE)
    assert page.clocks.data(page.clocks.index(0, 5)) in ("Overdue", "Due")  # text, never colour alone
    assert "overdue" in page.summary.text()
    first = clocks[0]
    rect = page.table.visualRect(page.clocks.index(0, 0))
    # QAbstractItemView only reports a double-click that follows a click, as a real one does.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    idle(qtbot, window)
    opened = [f for f in window.forms if getattr(f, "view", None) is not None]
    assert opened and opened[-1].view.id == first.case_id


def test_dashboard_stage_count_opens_filtered_register(qtbot: Any, window: Any) -> None:
    window.show_page("Dashboard")
    idle(qtbot, window)
    counts = window.ctx._svc.registers.stage_counts()
    assert window.dashboard.stage_buttons["closed"].text() == f"{counts['closed']:,}"
    qtbot.mouseClick(window.dashboard.stage_buttons["closed"], Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert window.current_page() is window.incidents
    assert len(window.incidents.model.ids) == counts["closed"]


def test_register_filters(qtbot: Any, window: Any) -> None:
    from bscp_desktop.services.incidents.input import IncidentInput

    svc = window.ctx._svc
    late = svc.incidents.register(IncidentInput("Child Late", "died", D(2026, 11, 2))).value  # due 09/11: overdue
    window.show_page("Incidents")
    idle(qtbot, window)
    page = window.incidents
    page.stage.setCurrentIndex(page.stage.findData(""))
    idle(qtbot, window)
    assert len(page.model.ids) == 201 and page.count.text() == "201 incidents"
    ref = svc.incidents.get(page.model.ids[5]).local_ref
    type_into(qtbot, page.search, ref)
    qtbot.waitUntil(lambda: len(page.model.ids) == 1, timeout=30_000)
    assert svc.incidents.get(page.model.ids[0]).local_ref == ref
    page.search.clear()
    qtbot.waitUntil(lambda: len(page.model.ids) == 201, timeout=30_000)
    page.rag.setCurrentIndex(page.rag.findData("overdue"))
    idle(qtbot, window)
    rows = svc.registers.incident_rows(page.model.ids)
    assert late.id in page.model.ids and all(r.rag is Rag.OVERDUE for r in rows.values())
    page.rag.setCurrentIndex(0)
    page.stage.setCurrentIndex(page.stage.findData("closed"))
    idle(qtbot, window)
    assert {r.stage for r in svc.registers.incident_rows(page.model.ids).values()} == {"closed"}
    year = page.year.itemData(1)
    page.year.setCurrentIndex(1)
    idle(qtbot, window)
    assert all(r.local_ref.startswith(f"SI{year}-") for r in svc.registers.incident_rows(page.model.ids).values())


def test_register_rows_load_lazily_and_sort_in_sql(qtbot: Any, window: Any) -> None:
    window.show_page("Incidents")
    idle(qtbot, window)
    page = window.incidents
    page.stage.setCurrentIndex(page.stage.findData(""))
    idle(qtbot, window)
    assert page.model.data(page.model.index(0, 0)) in ("…", page.model.row_data(0) and page.model.row_data(0).local_ref)
    idle(qtbot, window)
    first = page.model.data(page.model.index(0, 0))
    assert first.startswith("SI")  # newest first by default
    page.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # became aware, oldest first
    idle(qtbot, window)
    page.model.data(page.model.index(0, 0))
    idle(qtbot, window)
    rows = [page.model.row_data(i) for i in range(min(20, len(page.model.ids)))]
    aware = [r.became_aware for r in rows if r is not None]
    assert aware == sorted(aware) and len(aware) == len(rows)


def test_column_chooser_and_csv_export(qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.pages import register

    window.show_page("Reviews")
    idle(qtbot, window)
    page = window.reviews
    page._set_column_visible(1, False)  # hide "Kind"
    out = tmp_path / "reviews.csv"
    monkeypatch.setattr(register, "save_path", lambda *_a: out)
    page.export()
    idle(qtbot, window)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "Case reference" and "Kind" not in rows[0]
    assert len(rows) == len(page.model.ids) + 1
    assert any(r[0] == "BSCP2022-23/02" for r in rows[1:])
    assert answers["shown"][-1][0] == "Exported"


@pytest.mark.parametrize("page_name", ["incidents", "reviews"])
def test_hiding_rag_keeps_due_after_a_restart(qtbot: Any, window: Any, page_name: str) -> None:
    page = getattr(window, page_name)
    titles = [c.title for c in page.model.columns]
    rag, due = titles.index("RAG"), titles.index("Due")
    page._set_column_visible(rag, False)
    again = type(page)(window.ctx)  # a new window reads the hidden columns back
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(rag) and not again.table.isColumnHidden(due)
    assert len({c.key for c in page.model.columns}) == len(page.model.columns)  # one key, one column


def test_excel_export_has_real_dates(qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     answers: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    from bscp_desktop.ui.pages import register

    window.show_page("Incidents")
    idle(qtbot, window)
    page = window.incidents
    page.stage.setCurrentIndex(page.stage.findData(""))  # every incident, closed ones too
    page.requery()
    idle(qtbot, window)
    monkeypatch.setattr(register, "save_path", lambda *_a: tmp_path / "incidents")  # no suffix: a workbook
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    sheet = load_workbook(tmp_path / "incidents.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    titles = [c.title for c in page.visible_columns()]
    assert list(rows[0]) == titles and len(rows) == len(page.model.ids) + 1
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    svc = window.ctx._svc
    first = svc.incidents.get(page.model.ids[0])
    aware = rows[1][titles.index("Became aware")]
    assert rows[1][0] == first.local_ref and aware.date() == first.became_aware  # a date, not text
    assert answers["shown"][-1] == ("Exported", f"{len(page.model.ids):,} rows written to {tmp_path / 'incidents.xlsx'}")


def test_settings_page_saves_and_recomputes(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    window.show_page("Settings")
    idle(qtbot, window)
    page = window.settings_page
    assert page.name.text() == "Birmingham Safeguarding Children Partnership"
    page.amount_spins["notification"].setValue(4)
    type_into(qtbot, page.review_prefix, "B1")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert "must be 2 to 10 letters" in page.fields["Review reference prefix"].error.text()
    assert svc.settings.get().amount("notification") == 5  # nothing saved
    type_into(qtbot, page.review_prefix, "BSCP")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert svc.settings.get().amount("notification") == 4


def test_settings_closure_days_and_holidays(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    window.show_page("Settings")
    idle(qtbot, window)
    page = window.settings_page
    page.year.setValue(2022)
    names = [page.holidays.item(r, 1).text() for r in range(page.holidays.rowCount())]
    assert "State Funeral of Queen Elizabeth II" in names
    type_into(qtbot, page.closure_date.edit, "29/12/2025")
    type_into(qtbot, page.closure_desc, "Office closed")
    qtbot.mouseClick(page.add_closure_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert [c.day for c in svc.settings.closures()] == [D(2025, 12, 29)]
    assert page.closure_table.rowCount() == 1
    type_into(qtbot, page.closure_date.edit, "27/12/2025")
    qtbot.mouseClick(page.add_closure_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert "weekends are already skipped" in page.closure_error.text()


def test_deadline_calculator(qtbot: Any, window: Any) -> None:
    calc = window.deadline_calculator()
    calc.rule.setCurrentIndex(calc.rule.findData("notification"))
    type_into(qtbot, calc.start.edit, "19/12/2025")
    assert calc.result_label.text() == "Due: Tuesday 30 December 2025"
    skipped = [calc.skipped.item(i).text() for i in range(calc.skipped.count())]
    assert "Thu 25/12/2025 — Christmas Day" in skipped and len(skipped) == 6
    calc.rule.setCurrentIndex(calc.rule.findData("advance-copy"))
    type_into(qtbot, calc.start.edit, "08/01/2026")
    assert calc.result_label.text() == "Last day to send: Monday 29 December 2025"
    type_into(qtbot, calc.start.edit, "32/01/2026")
    assert "not a real calendar date" in calc.result_label.text()


def test_a_colleagues_change_appears_by_itself(qtbot: Any, window: Any) -> None:
    from bscp_desktop.services.incidents.input import IncidentInput
    from tests.conftest import colleague as open_colleague

    window.show_page("Incidents")
    idle(qtbot, window)
    page = window.incidents
    page.stage.setCurrentIndex(page.stage.findData(""))
    idle(qtbot, window)
    before = len(page.model.ids)
    window.ctx.poll()  # the first poll notes where the log stands
    qtbot.waitUntil(lambda: window.ctx._seen is not None and not window.ctx._polling, timeout=30_000)
    svc = window.ctx._svc
    colleague = open_colleague(svc, svc.db.url, "colleague", today=lambda: D(2026, 11, 20))
    v = colleague.incidents.register(IncidentInput("Child Q", "died", D(2026, 11, 19))).value
    colleague.close()
    assert v.id not in page.model.ids  # nothing has told this window yet
    window.ctx.poll()  # what the poll timer does every few seconds, driven here rather than waited for
    qtbot.waitUntil(lambda: not window.ctx._polling, timeout=30_000)
    idle(qtbot, window)  # the page's refresh that the poll's news started
    assert v.id in page.model.ids
    assert len(page.model.ids) == before + 1


def test_dashboard_lists_overdue_actions(qtbot: Any, window: Any) -> None:
    window.show_page("Dashboard")
    idle(qtbot, window)
    page = window.dashboard
    overdue = [a for a in window.ctx._svc.actions.overdue_clocks() if a.overdue]
    assert [a.id for a in page.actions_model.rows] == [a.id for a in overdue] and overdue
    assert f"{len(overdue)} agency action" in page.summary.text()
    rect = page.actions_table.visualRect(page.actions_model.index(0, 0))
    qtbot.mouseClick(page.actions_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.actions_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    idle(qtbot, window)
    assert window.current_page() is window.actions_page
    assert window.actions_page.review.currentData() == overdue[0].review_id


def test_dashboard_exports_the_deadlines_to_a_calendar(qtbot: Any, window: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]) -> None:
    from icalendar import Calendar

    from bscp_desktop.ui.pages import register

    window.show_page("Dashboard")
    monkeypatch.setattr(register, "save_path", lambda *_a: tmp_path / "deadlines")  # the suffix is added
    qtbot.mouseClick(window.dashboard.calendar_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    out = tmp_path / "deadlines.ics"
    uids = {str(e["UID"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    clocks = window.ctx._svc.clocks.all_clocks()
    assert clocks and {f"{c.key}@bscp.bscp-desktop" for c in clocks} <= uids
    title, text = answers["shown"][-1]
    assert title == "Deadlines exported" and f"{len(clocks):,} statutory clocks" in text
    # A file that cannot be written gets a message naming it, not an "unexpected error".
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setattr(register, "save_path", lambda *_a: tmp_path / "a-file" / "x.ics")
    window.act_calendar.trigger()
    idle(qtbot, window)
    title, text = answers["shown"][-1]
    assert title == "File not written" and str(tmp_path / "a-file" / "x.ics") in text


def test_settings_page_adds_and_retires_an_agency(qtbot: Any, window: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    window.show_page("Settings")
    idle(qtbot, window)
    box = window.settings_page.agencies
    count = box.table.rowCount()
    assert count == len(window.ctx._svc.reference_lists.agencies(active_only=False)) > 0
    dlg = box.add_agency()
    type_into(qtbot, dlg.fields["Name"].widget, "Anytown Youth Service")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    names = [box.table.item(r, 0).text() for r in range(box.table.rowCount())]
    assert box.table.rowCount() == count + 1 and "Anytown Youth Service" in names
    box.table.selectRow(names.index("Anytown Youth Service"))
    dlg = box.edit_agency()
    assert dlg is not None
    in_use = dlg.fields["In use"].widget
    in_use.setCurrentIndex(in_use.findData(False))
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    row = [box.table.item(r, 0).text() for r in range(box.table.rowCount())].index("Anytown Youth Service")
    assert box.table.item(row, 2).text() == "No longer"
    assert "Anytown Youth Service" not in {a.name for a in window.ctx._svc.reference_lists.agencies()}


def test_the_daily_backup_runs_in_the_background(qtbot: Any, window: Any, tmp_path: Path) -> None:
    from bscp_desktop.ui.shell.app import start_daily_backup
    from bscp_desktop.util.paths import backup_dir

    start_daily_backup(window)
    idle(qtbot, window)
    [copy] = backup_dir().glob("*/daily/ui-*.db")
    assert str(copy) in window.statusBar().currentMessage()
    start_daily_backup(window)  # the same day again: nothing more is written
    idle(qtbot, window)
    assert len(list(backup_dir().glob("*/daily/ui-*.db"))) == 1


def test_the_audit_log_finds_a_change_and_shows_its_values(qtbot: Any, window: Any) -> None:
    from bscp_desktop.services.incidents.input import IncidentInput

    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child Audit", "died", D(2026, 11, 2))).value
    svc.incidents.update(v.id, v.version, IncidentInput("Child Audited", "died", D(2026, 11, 3),
                                                        categories=("neglect", "physical")))
    window.act_audit.trigger()
    idle(qtbot, window)
    dlg = next(f for f in window.forms if type(f).__name__ == "AuditDialog")
    assert dlg.model.rows and dlg.count.text()
    type_into(qtbot, dlg.search, v.local_ref)
    dlg._debounce.stop()
    dlg.refresh()
    idle(qtbot, window)
    assert [e.action for e in dlg.model.rows] == ["edit incident", "register incident"]
    assert dlg.count.text() == "2 changes"
    assert dlg.model.data(dlg.model.index(0, 3)) == f"incident {v.local_ref}"  # the record as the user knows it
    dlg.table.selectRow(0)
    words = dlg.detail.toPlainText()  # fields by their labels, dates the UK way, lists and codes as text
    assert "Pseudonym: Child Audit → Child Audited" in words
    assert "Became aware: 02/11/2026 → 03/11/2026" in words
    assert "Categories of abuse: — → Neglect, Physical abuse" in words
    assert "2026-11-0" not in words and "became_aware" not in words
    dlg.raw.setChecked(True)  # the values as recorded, a tick away
    raw = dlg.detail.toPlainText()
    assert "became_aware: 2026-11-02 → 2026-11-03" in raw and '["neglect", "physical"]' in raw


def test_a_demo_database_says_so_and_a_real_one_does_not(qtbot: Any, window: Any, tmp_path: Path) -> None:
    from bscp_desktop.services import Services
    from bscp_desktop.ui.runtime.context import AppContext
    from bscp_desktop.ui.shell.main_window import MainWindow

    idle(qtbot, window)
    assert window.demo_banner.isVisibleTo(window) and "DEMO DATABASE" in window.windowTitle()
    svc = Services.open(tmp_path / "real.db", today=lambda: D(2026, 11, 20), user="tester")
    svc.initialise_new()
    real = MainWindow(AppContext(svc))
    qtbot.addWidget(real)
    qtbot.waitUntil(lambda: not real.ctx.runner.busy, timeout=30_000)
    assert not real.demo_banner.isVisibleTo(real) and "DEMO" not in real.windowTitle()
    real.close()
    svc.close()


def test_demo_opens_its_own_database_apart_from_the_register(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "BSCP_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen",
           "BSCP_LOG_DIR": str(tmp_path / "log"), "BSCP_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-m", "bscp_desktop", "--demo", "--self-test"], env=env,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "data" / "demo.db").exists() and not (tmp_path / "data" / "bscp.db").exists()
    from bscp_desktop.services import Services

    svc = Services.open(tmp_path / "data" / "demo.db")
    assert svc.audit_log.is_demo() and svc.incidents.count() == 300
    svc.close()


def test_help_lists_the_keyboard_shortcuts_from_the_menus(qtbot: Any, window: Any,
                                                         answers: dict[str, Any]) -> None:
    keys = dict((what, k) for k, what in window.shortcuts())
    assert keys["New incident"] == "Ctrl+N" and keys["Deadline calculator"] == "Ctrl+D"
    assert keys["Dashboard"] == "Ctrl+1" and keys["Settings"] == "Ctrl+0"
    window.act_keys.trigger()
    title, text = answers["shown"][-1]
    assert title == "Keyboard shortcuts" and "Ctrl+N" in text and "Save the incident or review form" in text


def test_a_friday_deadline_seen_at_the_weekend_reads_overdue(qtbot: Any, tmp_path: Path) -> None:
    from bscp_desktop.domain.rules import Rag
    from bscp_desktop.services import Services
    from bscp_desktop.services.incidents.input import IncidentInput
    from bscp_desktop.ui.pages.dashboard import ClockListModel

    sunday = dt.date(2026, 11, 22)
    svc = Services.open(tmp_path / "weekend.db", today=lambda: sunday, user="tester")
    try:  # became aware on Friday 13th: notification due five working days later, Friday 20th
        v = svc.incidents.register(IncidentInput("Child W", "died", dt.date(2026, 11, 13))).value
        [clock] = [c for c in svc.clocks.urgent(sunday) if c.case_id == v.id]
        assert (clock.due, clock.rag, clock.days) == (dt.date(2026, 11, 20), Rag.OVERDUE, 0)
        cells = ClockListModel().cells(clock)
        assert "overdue since the last working day" in cells and "due today" not in cells
        assert cells[-1] == Rag.OVERDUE.value
    finally:
        svc.close()


@pytest.mark.parametrize(("rag", "days", "text"), [
    ("DUE", 0, "Due today"), ("DUE", 2, "Due (2 working days left)"), ("OVERDUE", -3, "Overdue (3 working days over)"),
    ("OVERDUE", 0, "Overdue since the last working day"), ("ON_TRACK", 9, "On track (9 working days left)"),
    (None, None, "—")])
def test_the_registers_say_a_clock_in_words(rag: str | None, days: int | None, text: str) -> None:
    from types import SimpleNamespace

    from bscp_desktop.domain.rules import Rag
    from bscp_desktop.services.registers.columns import rag_text

    assert rag_text(SimpleNamespace(rag=Rag[rag] if rag else None, days=days)) == text


def test_the_audit_log_says_whether_its_chain_is_intact(qtbot: Any, window: Any) -> None:
    from sqlalchemy import text

    window.act_audit.trigger()
    idle(qtbot, window)
    dlg = next(f for f in window.forms if type(f).__name__ == "AuditDialog")
    assert dlg.chain.text().startswith("✔ Verified: all ") and "are as written" in dlg.chain.text()
    dlg.close()
    svc = window.ctx._svc
    with svc.db.engine.begin() as conn:  # someone edits an entry with a database tool
        conn.execute(text("UPDATE audit_log SET summary = 'edited' WHERE id = 2"))
    window.act_audit.trigger()
    idle(qtbot, window)
    dlg = next(f for f in window.forms if type(f).__name__ == "AuditDialog" and f.isVisible())
    assert "altered outside the program: entry 2 was changed" in dlg.chain.text()
    assert "verified to entry 1" in dlg.chain.text()
