"""Actions, Themes and Statistics pages against a real demo database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.conftest import TODAY
from tests.ui.conftest import idle, type_into


def press_ok(qtbot: Any, window: Any, dlg: Any) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def choose(combo: Any, text_start: str) -> None:
    for i in range(combo.count()):
        if combo.itemText(i).startswith(text_start):
            combo.setCurrentIndex(i)
            return
    raise AssertionError(f"{text_start} not offered")


def test_add_recommendation_and_action_then_complete_it(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    window.show_page("Actions")
    idle(qtbot, window)
    page = window.actions_page
    dlg = page.add_recommendation()
    choose(dlg.fields["Review"].widget, "BSCP2020-21/02")
    dlg.fields["Recommendation"].widget.setPlainText("Agencies check the history of adults joining a household.")
    press_ok(qtbot, window, dlg)
    recs = svc.actions.recommendations(svc.reviews.by_reference("BSCP2020-21/02").id)
    assert [r.text for r in recs] == ["Agencies check the history of adults joining a household."]
    dlg = page.add_action()
    choose(dlg.fields["Recommendation"].widget, "BSCP2020-21/02 R1")
    dlg.fields["Action"].widget.setPlainText("Audit twenty referrals for household checks")
    choose(dlg.fields["Agency"].widget, "West Midlands Police")
    type_into(qtbot, dlg.fields["Due"].widget.edit, "02/11/2026")  # already past: overdue
    press_ok(qtbot, window, dlg)
    page.overdue.setChecked(True)
    idle(qtbot, window)
    mine = [a for a in page.model.rows if a.description == "Audit twenty referrals for household checks"]
    assert len(mine) == 1 and mine[0].rag.value == "Overdue"
    page.table.selectRow(page.model.rows.index(mine[0]))
    dlg = page.edit_action()
    assert dlg is not None
    choose(dlg.fields["Status"].widget, "Completed")
    press_ok(qtbot, window, dlg)
    assert dlg.isVisible() and "Completed on: is required" in dlg.fields["Completed on"].error.text()
    type_into(qtbot, dlg.fields["Completed on"].widget.edit, TODAY.strftime("%d/%m/%Y"))
    dlg.fields["Evidence"].widget.setPlainText("Audit report to the board, 20/11/2026")
    press_ok(qtbot, window, dlg)
    done = svc.actions.get(mine[0].id)
    assert (done.status, done.evidence_notes, done.rag.value) == ("completed", "Audit report to the board, 20/11/2026",
                                                                   "Met late")
    assert mine[0].id not in [a.id for a in page.model.rows]  # it has left the overdue list


def test_bulk_status_from_the_page(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    window.show_page("Actions")
    idle(qtbot, window)
    page = window.actions_page
    assert len(page.model.rows) >= 2
    sel = page.table.selectionModel()
    for row in (0, 1):
        sel.select(page.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    chosen = [a.id for a in page.selected()]
    choose(page.bulk_status, "Assured")  # needs a sign-off: refused for both, nothing changes
    qtbot.mouseClick(page.bulk_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert "Nothing was changed" in page.bulk_error.text()
    assert {svc.actions.get(i).status for i in chosen} <= {"not started", "in progress"}
    choose(page.bulk_status, "In progress")
    qtbot.mouseClick(page.bulk_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert {svc.actions.get(i).status for i in chosen} == {"in progress"}


def test_statistics_page_draws_both_charts(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    window.show_page("Statistics")
    idle(qtbot, window)
    page = window.statistics_page
    stats = svc.annual.statistics(page.year.currentData())
    assert page.table.rowCount() == 10
    assert page.chart1.categories == [y.counted.label for y in stats.years]
    assert page.chart1.series[0][1] == [y.counted.reviews_commissioned for y in stats.years]
    names = [name for name, _, _ in page.chart2.series]
    assert names == ["Child deaths", "Reviews commissioned"]
    assert page.chart2.series[0][1] == [y.child_deaths for y in stats.years]  # "—", never 0, where not recorded
    assert any(page.chart2.series[0][1])  # the demo enters child deaths
    summary = page.slippage_summary
    assert summary is not None and summary.published > 0
    assert f"LCSPRs published in these years: {summary.published}, {summary.on_time} within the six-month " \
           "target" in page.slippage.text()
    rows = page.slippage_rows
    assert rows and page.slippage_table.rowCount() == len(rows)
    late = next(i for i, r in enumerate(rows) if r.late)
    assert page.slippage_table.item(late, 4).text() == f"{rows[late].days_late:,}"
    assert page.slippage_table.item(late, 5).text() == rows[late].reason
    children = svc.characteristics.children_notified(page.year.currentData())
    t = page.children_table
    assert [t.horizontalHeaderItem(c).text() for c in range(2, t.columnCount())] == children.labels
    assert [t.item(0, c).text() for c in range(2, t.columnCount())] == [f"{n:,}" for n in children.notifications]
    assert [t.item(1, c).text() for c in range(2, t.columnCount())] == [f"{n:,}" for n in children.children]
    assert sum(children.children) > sum(children.notifications)  # the demo notifies siblings together
    assert "Looked after" in [t.item(r, 0).text() for r in range(t.rowCount())]
    image = page.chart2.grab().toImage()
    assert image.width() > 200 and len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 5)}) > 2
    page.table.selectRow(0)
    dlg = page.edit_year()
    type_into(qtbot, dlg.fields["Reviews in England"].widget, "abc")
    press_ok(qtbot, window, dlg)
    assert dlg.isVisible()
    type_into(qtbot, dlg.fields["Reviews in England"].widget, "170")
    type_into(qtbot, dlg.fields["Share of England's children"].widget, "2.0")
    press_ok(qtbot, window, dlg)
    idle(qtbot, window)
    assert page.stats.years[0].national_reviews == 170 and "% of the reviews undertaken in England" in page.summary.text()


def test_themes_page(qtbot: Any, window: Any) -> None:
    window.show_page("Themes")
    idle(qtbot, window)
    page = window.themes_page
    names = [t.name for t in page.summaries]
    assert "Safe sleep / SUDI" in names
    page.list.setCurrentRow(names.index("Safe sleep / SUDI"))
    assert "BSCP2025-26/01" in " ".join(page.reviews.item(i).text() for i in range(page.reviews.count()))
    dlg = page.add_theme()
    type_into(qtbot, dlg.fields["Theme"].widget, "Private fostering")
    press_ok(qtbot, window, dlg)
    assert "Private fostering" in [t.name for t in page.summaries]
    page.list.setCurrentRow([t.name for t in page.summaries].index("Private fostering"))
    dlg = page.edit_theme()
    type_into(qtbot, dlg.fields["Theme"].widget, "Private fostering arrangements")
    press_ok(qtbot, window, dlg)
    assert "Private fostering arrangements" in [t.name for t in page.summaries]
    page.list.setCurrentRow([t.name for t in page.summaries].index("Private fostering arrangements"))
    dlg = page.edit_theme()
    in_use = dlg.fields["In use"].widget
    in_use.setCurrentIndex(in_use.findData(False))
    press_ok(qtbot, window, dlg)
    assert "Private fostering arrangements" not in [t.name for t in page.summaries]


def test_tag_themes_from_the_incident_form(qtbot: Any, window: Any) -> None:
    from bscp_desktop.services.incidents.input import IncidentInput

    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child T", "died", TODAY)).value
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    assert form.themes_label.text() == "Themes: none"
    dlg = form.edit_themes()
    checklist = dlg.fields["Themes"].widget
    wanted = {"Neglect", "Substance misuse"}
    for i in range(checklist.count()):
        if checklist.item(i).text() in wanted:
            checklist.item(i).setCheckState(Qt.CheckState.Checked)
    press_ok(qtbot, window, dlg)
    idle(qtbot, window)
    names = {t.name for t in svc.reference_lists.themes() if t.id in svc.themes.of("incident", v.id)}
    assert names == wanted and form.themes_label.text() == "Themes: Neglect, Substance misuse"


def test_review_form_summarises_its_actions_and_opens_them(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    target = next(a for a in svc.actions.find() if a.review_reference)
    window.open_review(target.review_id)
    idle(qtbot, window)
    form = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    recs = svc.actions.recommendations(target.review_id)
    assert form.learning.text().startswith(f"{len(recs)} recommendation")
    qtbot.mouseClick(form.learning_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    page = window.actions_page
    assert window.current_page() is page and page.review.currentData() == target.review_id
    assert page.model.rows and {a.review_id for a in page.model.rows} == {target.review_id}
    assert len(page.model.rows) == sum(len(r.actions) for r in recs)


def test_a_retired_theme_is_not_dropped_when_a_record_is_retagged(qtbot: Any, window: Any) -> None:
    from bscp_desktop.services.incidents.input import IncidentInput

    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child U", "died", TODAY)).value
    neglect = next(t for t in svc.themes.overview() if t.name == "Neglect")
    svc.themes.tag("incident", v.id, [neglect.id])
    svc.themes.update(neglect.id, neglect.version, neglect.name, active=False)
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    dlg = form.edit_themes()
    checklist = dlg.fields["Themes"].widget
    items = {checklist.item(i).text(): checklist.item(i) for i in range(checklist.count())}
    assert items["Neglect"].checkState() == Qt.CheckState.Checked
    items["Substance misuse"].setCheckState(Qt.CheckState.Checked)
    press_ok(qtbot, window, dlg)
    idle(qtbot, window)
    names = {t.name for t in svc.reference_lists.themes(active_only=False) if t.id in svc.themes.of("incident", v.id)}
    assert names == {"Neglect", "Substance misuse"}
