"""The main window's actions, menus and toolbar: what each does, its shortcut and its tip, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from bscp_desktop.domain.vocab import Role

if TYPE_CHECKING:
    from bscp_desktop.ui.shell.main_window import MainWindow

# The pages in the order the navigation lists them (Ctrl+1… opens them; Retention has Ctrl+Shift+R).
PAGES = ("Dashboard", "Incidents", "Reviews", "Catalogue", "Archive requests", "Actions", "Themes", "Statistics",
         "Reports", "Retention", "Settings")


def _action(w: MainWindow, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
    act = QAction(text, w)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    act.setToolTip(tip or text.replace("…", ""))
    act.setStatusTip(tip or text.replace("…", ""))
    act.triggered.connect(lambda _c=False: slot())
    return act

def build_menus(w: MainWindow) -> None:
    """The window's actions (each on ``w`` as ``act_…``, for tests and the shortcuts list), its menus and its
    toolbar."""
    _build_actions(w)
    _build_menus(w)


def _build_actions(w: MainWindow) -> None:
    w.act_new = w.ctx.writes(_action(w, "&New incident…", w.new_incident, QKeySequence.StandardKey.New,
                                "Register a new incident"))
    w.act_find = _action(w, "&Find…", w.focus_find, QKeySequence.StandardKey.Find, "Find in the current register")
    w.act_refresh = _action(w, "&Refresh", w.refresh, QKeySequence.StandardKey.Refresh,
                                    "Read everything again")
    w.act_refresh.setShortcuts([QKeySequence("F5")])
    w.act_export = _action(w, "&Export view…", w.export, "Ctrl+E",
                                   "Export the register on screen (filter, order, columns) to Excel or CSV")
    w.act_import = w.ctx.writes(_action(w, "&Import incidents…", w.import_incidents, None,
                                   "Add the cases of an existing register kept in a spreadsheet (.xlsx or .csv)"))
    w.act_templates = _action(w, "Save import &templates…", w.save_templates, None,
                                      "Blank spreadsheets for importing incidents, action plans and a catalogue")
    w.act_calendar = _action(w, "Export deadlines to &calendar…", w.export_calendar, None,
                                     "Save the open deadlines as a calendar file (.ics) for Outlook")
    w.act_print = _action(w, "&Print…", w.print_page, QKeySequence.StandardKey.Print,
                                  "Print the report on screen, or choose one on the Reports page")
    w.act_backup = _action(w, "&Back up database…", w.backup, None, "Save a copy of the database")
    w.act_restore = w.ctx.writes(_action(w, "&Restore from a copy…", w.restore_from_copy, None,
                                                    "Put the register back as one of its copies was"),
                                       needs=Role.ADMIN)
    w.act_quit = _action(w, "&Quit", w.close, QKeySequence.StandardKey.Quit)
    w.act_calc = _action(w, "&Deadline calculator…", w.deadline_calculator, "Ctrl+D",
                                 "Work out the due date of a rule from a start date")
    w.act_audit = _action(w, "&Audit log…", w.audit_log, "Ctrl+Shift+L", "Who changed what, and when")
    w.act_keys = _action(w, "&Keyboard shortcuts", w.keyboard_shortcuts, None,
                                 "Every shortcut of the menus and forms")
    w.act_about = _action(w, "&About", w.about)


def _build_menus(w: MainWindow) -> None:
    m = w.menuBar()
    file = m.addMenu("&File")
    for a in (w.act_new, w.act_import, w.act_templates, w.act_export, w.act_calendar,
              w.act_print, w.act_backup, w.act_restore):
        file.addAction(a)
    file.addSeparator()
    file.addAction(w.act_quit)
    edit = m.addMenu("&Edit")
    edit.addAction(w.act_find)
    view = m.addMenu("&View")
    view.addAction(w.act_refresh)
    view.addSeparator()
    for i, name in enumerate(PAGES):  # Ctrl+1… for the first nine, Ctrl+0 for Settings
        key = f"Ctrl+{i + 1}" if i < 9 else {"Settings": "Ctrl+0", "Retention": "Ctrl+Shift+R"}.get(name)
        view.addAction(_action(w, name, lambda i=i: w.nav.setCurrentRow(i), key))
    tools = m.addMenu("&Tools")
    tools.addAction(w.act_calc)
    tools.addAction(w.act_audit)
    helpm = m.addMenu("&Help")
    helpm.addAction(w.act_keys)
    helpm.addAction(w.act_about)
    tb = QToolBar("Main", w)
    tb.setObjectName("main-toolbar")
    tb.setMovable(False)
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for a in (w.act_new, w.act_find, w.act_refresh, w.act_calc):
        tb.addAction(a)
    w.addToolBar(tb)
