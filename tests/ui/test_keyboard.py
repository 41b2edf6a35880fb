"""Working by keyboard alone: a table is one Tab stop, the focus is plainly ringed, Find goes to the find box of
the page on screen and on to its results, every page has a shortcut, and every control a screen reader reaches
has a name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tests.ui.conftest import idle, listed_ids

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QTextEdit, QPlainTextEdit)


def focus(qtbot: Any, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=5_000)


def test_a_table_is_one_tab_stop(qtbot: Any, window: Any) -> None:
    for name, table in (("Dashboard", window.dashboard.table), ("Incidents", window.incidents.table),
                        ("Catalogue", window.catalogue_page.table)):
        window.show_page(name)
        idle(qtbot, window)
        assert table.model().rowCount() > 1
        focus(qtbot, table)
        qtbot.keyClick(table, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not table and not table.isAncestorOf(now), f"Tab stayed in {table.accessibleName()}"


def test_tab_from_the_page_list_goes_into_a_page_made_when_first_shown_and_back(qtbot: Any, window: Any) -> None:
    for name, first in (("Incidents", window.incidents.search), ("Dashboard", window.dashboard.table)):
        window.show_page(name)
        idle(qtbot, window)
        focus(qtbot, window.nav)
        qtbot.keyClick(window.nav, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is first, f"Tab from the page list lands in {name}'s first control"
        qtbot.keyClick(first, Qt.Key.Key_Backtab)
        assert QApplication.focusWidget() is window.nav


def test_the_policy_installed_after_the_window_is_shown_catches_up_with_it(qtbot: Any, window: Any) -> None:
    """The program's start shows the window before it installs the policy (``app.show_window``): the views
    already shown are then made one Tab stop, and the outline goes to the widget with the focus."""
    from bscp_desktop.ui.widgets.keyboard import install_keyboard_policy

    window.show_page("Incidents")
    idle(qtbot, window)
    table = window.incidents.table
    table.setTabKeyNavigation(True)  # as a view shown before any policy was installed is
    focus(qtbot, window.incidents.search)
    policy = install_keyboard_policy(QApplication.instance())
    policy.outline.follow(None)
    policy.catch_up()
    assert not table.tabKeyNavigation()
    assert policy.outline.widget() is window.incidents.search and policy.outline.isVisible()


def test_arrows_move_inside_a_table_and_enter_opens_the_row(qtbot: Any, window: Any) -> None:
    window.show_page("Incidents")
    idle(qtbot, window)
    table = window.incidents.table
    focus(qtbot, table)
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Return)
    idle(qtbot, window)
    opened = [f for f in window.forms if type(f).__name__ == "IncidentForm" and f.isVisible()]
    assert [f.view.id for f in opened] == [listed_ids(qtbot, window, "Incidents")[1]]


def test_the_focus_is_ringed_wherever_it_goes(qtbot: Any, window: Any) -> None:
    from bscp_desktop.ui.widgets.keyboard import install_keyboard_policy

    outline = install_keyboard_policy(QApplication.instance()).outline
    focus(qtbot, window.dashboard.table)
    assert outline.widget() is window.dashboard.table and outline.isVisible()
    window.show_page("Incidents")
    focus(qtbot, window.incidents.search)
    outline = install_keyboard_policy(QApplication.instance()).outline
    assert outline.widget() is window.incidents.search and outline.isVisible()
    # it rings the widget from outside, at least the outline's width all round
    inner = outline.widget().geometry()
    assert outline.geometry().contains(inner) and outline.geometry() != inner


def test_find_goes_to_the_find_box_of_the_page_on_screen(qtbot: Any, window: Any) -> None:
    for name, page in (("Catalogue", window.catalogue_page), ("Archive requests", window.requests_page),
                       ("Actions", window.actions_page), ("Reviews", window.reviews)):
        window.show_page(name)
        idle(qtbot, window)
        window.activateWindow()
        window.act_find.trigger()
        qtbot.waitUntil(lambda p=page: QApplication.focusWidget() is p.search, timeout=5_000)
    window.show_page("Statistics")
    window.act_find.trigger()
    assert window.current_page() is window.statistics_page  # never whisked away to another page
    message = window.statusBar().currentMessage()
    assert message.startswith("The Statistics page has no find box") and "Catalogue" in message


def test_down_or_enter_in_a_find_box_goes_to_the_results(qtbot: Any, window: Any) -> None:
    for name, page, key in (("Incidents", window.incidents, Qt.Key.Key_Down),
                            ("Catalogue", window.catalogue_page, Qt.Key.Key_Return)):
        window.show_page(name)
        idle(qtbot, window)
        focus(qtbot, page.search)
        page.table.setCurrentIndex(page.table.model().index(-1, -1))
        qtbot.keyClick(page.search, key)
        assert QApplication.focusWidget() is page.table
        assert page.table.currentIndex().row() == 0


def test_retention_and_the_audit_log_have_shortcuts(qtbot: Any, window: Any) -> None:
    listed = dict((what, keys) for keys, what in window.shortcuts())
    retention = QKeySequence("Ctrl+Shift+R").toString(QKeySequence.SequenceFormat.NativeText)
    audit = QKeySequence("Ctrl+Shift+L").toString(QKeySequence.SequenceFormat.NativeText)
    assert listed["Retention"] == retention and listed["Audit log"] == audit
    [go] = [a for a in window.findChildren(type(window.act_audit)) if a.shortcut() == QKeySequence("Ctrl+Shift+R")]
    go.trigger()
    assert window.current_page() is window.retention_page
    assert window.act_audit.shortcut() == QKeySequence("Ctrl+Shift+L")


def test_a_date_fields_calendar_button_takes_the_focus(qtbot: Any, window: Any) -> None:
    window.new_incident()
    [form] = [f for f in window.forms if type(f).__name__ == "IncidentForm"]
    assert form.became_aware.button.focusPolicy() & Qt.FocusPolicy.TabFocus


def unnamed(root: QWidget) -> list[str]:
    """The interactive widgets under ``root`` a screen reader would announce without a name (Qt's own parts of
    a widget, such as a table's header or a combo box's drop-down list, are announced as part of it)."""
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or isinstance(w, QHeaderView) or w.objectName().startswith("qt_"):
            continue
        parent = w.parentWidget()
        if isinstance(parent, QLineEdit | QComboBox | QAbstractSpinBox) or (type(parent).__name__ == "QFrame" and \
                isinstance(w, QAbstractItemView) and isinstance(parent.parentWidget(), QComboBox | type(None))):
            continue  # a line edit's clear button, a combo box's own list
        iface = QAccessible.queryAccessibleInterface(w)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            out.append(f"{type(w).__name__} under {type(parent).__name__} ({w.toolTip() or w.objectName()!r})")
    return out


def test_every_control_has_a_name_a_screen_reader_can_say(qtbot: Any, window: Any) -> None:
    problems = []
    for name, page in window.all_pages().items():
        window.show_page(name)
        idle(qtbot, window)
        problems += [f"{name} page: {p}" for p in unnamed(page)]
    window.open_incident(listed_ids(qtbot, window, "Incidents")[0])
    window.open_review(listed_ids(qtbot, window, "Reviews")[0])
    idle(qtbot, window)
    window.new_incident()
    window.deadline_calculator()
    window.audit_log()
    idle(qtbot, window)
    for opened in window.forms:
        problems += [f"{type(opened).__name__}: {p}" for p in unnamed(opened)]
    assert len(window.forms) >= 5
    assert problems == []


def test_every_field_of_a_form_has_its_own_alt_letter(qtbot: Any, window: Any) -> None:
    from PySide6.QtWidgets import QLabel

    window.open_incident(listed_ids(qtbot, window, "Incidents")[0])
    idle(qtbot, window)
    [form] = [f for f in window.forms if type(f).__name__ == "IncidentForm"]
    qtbot.waitExposed(form)
    labelled = [lab for lab in form.findChildren(QLabel) if lab.buddy() is not None]
    letters = [lab.text()[lab.text().index("&") + 1].lower() for lab in labelled if "&" in lab.text()]
    assert len(letters) == len(labelled) > 10 and len(set(letters)) == len(letters)
    save_letter = [b.text() for b in form.buttons.buttons() if "&" in b.text()]
    assert not {t[t.index("&") + 1].lower() for t in save_letter} & set(letters)  # the buttons keep theirs
    letter = next(k for k, w in form.mnemonics.items() if w is form.lead_officer)
    form.activateWindow()
    form.notes.setFocus()
    qtbot.keyClick(form, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.lead_officer, timeout=5_000)
    dlg = form.start_action(form.view.available_actions()[0])
    assert dlg is not None and dlg.mnemonics and len(set(dlg.mnemonics)) == len(dlg.fields)
