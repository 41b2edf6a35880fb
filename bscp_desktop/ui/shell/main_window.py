"""The main window: navigation list, pages, menus, toolbar, status bar; opens record forms; remembers its
geometry and last page."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop import APP_TITLE, __version__
from bscp_desktop.domain.vocab import Role
from bscp_desktop.store import private_temp
from bscp_desktop.ui.dialogs.deadline_calculator import DeadlineCalculator
from bscp_desktop.ui.dialogs.encrypt_now import choose_key, encrypt_open_register, relaunch_program
from bscp_desktop.ui.dialogs.screen_lock import ScreenLock
from bscp_desktop.ui.forms.incident_form import IncidentForm
from bscp_desktop.ui.forms.review_form import ReviewForm
from bscp_desktop.ui.pages import register
from bscp_desktop.ui.pages.actions import ActionsPage
from bscp_desktop.ui.pages.catalogue import CataloguePage
from bscp_desktop.ui.pages.dashboard import DashboardPage
from bscp_desktop.ui.pages.incidents import IncidentsPage
from bscp_desktop.ui.pages.reports import ReportsPage
from bscp_desktop.ui.pages.requests import RequestsPage
from bscp_desktop.ui.pages.retention import RetentionPage
from bscp_desktop.ui.pages.reviews import ReviewsPage
from bscp_desktop.ui.pages.settings import SettingsPage
from bscp_desktop.ui.pages.statistics import StatisticsPage
from bscp_desktop.ui.pages.themes import ThemesPage
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.util.dates import uk_long
from bscp_desktop.util.resources import resources_dir
from bscp_desktop.util.words import counted

if TYPE_CHECKING:
    from bscp_desktop.services.exchange.ics_export import CalendarExport
    from bscp_desktop.services.exchange.incident_import import ImportPlan
    from bscp_desktop.ui.dialogs.audit_log import AuditDialog

PAGES = ("Dashboard", "Incidents", "Reviews", "Catalogue", "Archive requests", "Actions", "Themes", "Statistics",
         "Reports", "Retention", "Settings")


class MainWindow(QMainWindow):
    """The application window."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.setParent(self)  # the context, its poll and its bus live exactly as long as the window
        self.setWindowTitle(f"{APP_TITLE} — {ctx.settings.partnership_name}")
        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.svg")))
        self.forms: list[QWidget] = []
        self.relaunch: Callable[[Path], None] = relaunch_program  # starts the program again on a register
        self._build_pages()
        self._build_central()
        self._build_actions()
        self._build_status_bar()
        self._connect_pages()
        self._restore()

    def _build_pages(self) -> None:
        """The list of pages on the left and the stack that shows one of them."""
        self.nav = QListWidget(self)
        self.nav.setAccessibleName("Pages")
        self.nav.addItems(PAGES)
        self.nav.setFixedWidth(self.nav.fontMetrics().horizontalAdvance("Archive requests") + 48)
        self.stack = QStackedWidget(self)
        self.dashboard = DashboardPage(self.ctx, self)
        self.incidents = IncidentsPage(self.ctx, self)
        self.reviews = ReviewsPage(self.ctx, self)
        self.settings_page = SettingsPage(self.ctx, self)
        self.reports_page = ReportsPage(self.ctx, self)
        self.catalogue_page = CataloguePage(self.ctx, self)
        self.requests_page = RequestsPage(self.ctx, self)
        self.actions_page = ActionsPage(self.ctx, self)
        self.themes_page = ThemesPage(self.ctx, self)
        self.statistics_page = StatisticsPage(self.ctx, self)
        self.retention_page = RetentionPage(self.ctx, self)
        self.pages: dict[str, QWidget] = {
            "Dashboard": self.dashboard, "Incidents": self.incidents, "Reviews": self.reviews,
            "Catalogue": self.catalogue_page, "Archive requests": self.requests_page,
            "Actions": self.actions_page, "Themes": self.themes_page, "Statistics": self.statistics_page,
            "Reports": self.reports_page, "Retention": self.retention_page,
            "Settings": self.settings_page,
        }
        for name in PAGES:
            self.stack.addWidget(self.pages[name])
        self._loaded: set[str] = set()

    def _build_central(self) -> None:
        """The demo and read-only banners over the pages."""
        self.demo_banner = self._banner(
            "<b>Demo database:</b> every case in it is fictional. Do not record real cases here: your own register "
            "opens when the program starts without --demo (or with --db).", "Demo database warning",
            ("#fff0c2", "#4a3500", "#e0c060"))
        self.demo_banner.hide()
        self.read_only_banner = self._banner(
            f"<b>Read-only register:</b> {escape(self.ctx.read_only_reason)}. You can read it, print reports and "
            "export; nothing can be changed." if self.ctx.read_only_reason else
            f"<b>Read-only register:</b> {self.ctx.register_name} cannot be written (a read-only file, folder or "
            "disc). You can read it, print reports and export; nothing can be changed. To work in it, copy it to a "
            "folder you can write to and open the copy.", "Read-only register", ("#e4ecf7", "#1d3557", "#9db4d6"))
        self.read_only_banner.setVisible(self.ctx.read_only)
        self.access_banner = self._banner("", "Access notice", ("#e4ecf7", "#1d3557", "#9db4d6"))
        self._show_access(self.ctx.identity)
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 0)
        outer.addWidget(self.demo_banner)
        outer.addWidget(self.read_only_banner)
        outer.addWidget(self.access_banner)
        row = QHBoxLayout()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        outer.addLayout(row, 1)
        self.screen_lock = ScreenLock(self, central, self.ctx.needs_passphrase, self.ctx.passphrase_matches)
        self.setCentralWidget(self.screen_lock)
        self.ctx.ops.query(self, lambda svc: svc.demo.is_demo(), self._show_demo)

    def _build_status_bar(self) -> None:
        """Which register, who, as of when; and whether work is running."""
        self.status_db = QLabel(self)
        self.status_busy = QLabel(self)
        self.statusBar().addWidget(self.status_db, 1)
        self.statusBar().addPermanentWidget(self.status_busy)
        self._show_status()
        self.ctx.identity_changed.connect(self._identity_changed)
        self.ctx.runner.busy_changed.connect(lambda b: self.status_busy.setText("Working…" if b else ""))

    def _show_status(self) -> None:
        i = self.ctx.identity
        self.status_db.setText(f"Database: {self.ctx.register_name}{' (read-only)' if self.ctx.read_only else ''}"
                               f"  ·  User: {i.login} ({i.role.label}{'' if i.known else ', not a user here'})  ·  "
                               f"As of {uk_long(self.ctx.as_of())}")

    def _show_access(self, identity: Any, changed: bool = False) -> None:
        """The notice for a login the register does not know (whom to ask), or a role changed while open."""
        if changed:
            text = (f"<b>Your role is now {identity.role.label.lower()}.</b> Close bscp-desktop and open it again "
                    "to use the controls it allows; until then every change is checked against it as you save.")
        elif identity.note:
            text = f"<b>Reading only:</b> {identity.note}"
        else:
            text = ""
        self.access_banner.setText(text)
        self.access_banner.setVisible(bool(text) and not self.ctx.read_only)

    def _identity_changed(self, identity: Any) -> None:
        self._show_status()
        self._show_access(identity, changed=True)

    def _connect_pages(self) -> None:
        """What each page asks of the window: open a record, show a stage, export the calendar."""
        self.nav.currentRowChanged.connect(self._page_changed)
        self.settings_page.lock_minutes_changed.connect(self.screen_lock.set_minutes)
        self.settings_page.encrypt_requested.connect(self.encrypt_register)
        self.dashboard.open_incident.connect(self.open_incident)
        self.dashboard.open_review.connect(self.open_review)
        self.dashboard.show_stage.connect(self._show_stage)
        self.incidents.open_record.connect(self.open_incident)
        self.incidents.new_record.connect(self.new_incident)
        self.reviews.open_record.connect(self.open_review)
        self.catalogue_page.open_review.connect(self.open_review)
        self.catalogue_page.take_down.connect(lambda rid: self.open_review(rid, then="take-down"))
        self.dashboard.open_request.connect(self._show_request)
        self.dashboard.show_overdue_actions.connect(self._show_overdue_actions)
        self.dashboard.open_review_actions.connect(self.show_review_actions)
        self.dashboard.export_calendar.connect(self.export_calendar)

    def _banner(self, text: str, name: str, colours: tuple[str, str, str]) -> QLabel:
        """A notice across the top of the window; ``colours``: background, text, border."""
        banner = QLabel(text, self)
        banner.setWordWrap(True)
        banner.setAccessibleName(name)
        background, colour, border = colours
        banner.setStyleSheet(f"QLabel {{ background: {background}; color: {colour}; padding: 6px; "
                             f"border: 1px solid {border}; border-radius: 3px; }}")
        return banner

    def _show_demo(self, demo: bool) -> None:
        self.demo_banner.setVisible(demo)
        if demo:
            self.setWindowTitle(f"{APP_TITLE} — DEMO DATABASE (fictional cases)")

    # -- menus ------------------------------------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setToolTip(tip or text.replace("…", ""))
        act.setStatusTip(tip or text.replace("…", ""))
        act.triggered.connect(lambda _c=False: slot())
        return act

    def _build_actions(self) -> None:
        self.act_new = self.ctx.writes(self._action("&New incident…", self.new_incident, QKeySequence.StandardKey.New,
                                    "Register a new incident"))
        self.act_find = self._action("&Find…", self.focus_find, QKeySequence.StandardKey.Find, "Find in the current register")
        self.act_refresh = self._action("&Refresh", self.refresh, QKeySequence.StandardKey.Refresh,
                                        "Read everything again")
        self.act_refresh.setShortcuts([QKeySequence("F5")])
        self.act_export = self._action("&Export view…", self.export, "Ctrl+E",
                                       "Export the register on screen (filter, order, columns) to Excel or CSV")
        self.act_import = self.ctx.writes(self._action("&Import incidents…", self.import_incidents, None,
                                       "Add the cases of an existing register kept in a spreadsheet (.xlsx or .csv)"))
        self.act_templates = self._action("Save import &templates…", self.save_templates, None,
                                          "Blank spreadsheets for importing incidents, action plans and a catalogue")
        self.act_calendar = self._action("Export deadlines to &calendar…", self.export_calendar, None,
                                         "Save the open deadlines as a calendar file (.ics) for Outlook")
        self.act_print = self._action("&Print…", self.print_page, QKeySequence.StandardKey.Print,
                                      "Print the report on screen, or choose one on the Reports page")
        self.act_backup = self._action("&Back up database…", self.backup, None, "Save a copy of the database")
        self.act_restore = self.ctx.writes(self._action("&Restore from a copy…", self.restore_from_copy, None,
                                                        "Put the register back as one of its copies was"),
                                           needs=Role.ADMIN)
        self.act_quit = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.act_calc = self._action("&Deadline calculator…", self.deadline_calculator, "Ctrl+D",
                                     "Work out the due date of a rule from a start date")
        self.act_audit = self._action("&Audit log…", self.audit_log, None, "Who changed what, and when")
        self.act_keys = self._action("&Keyboard shortcuts", self.keyboard_shortcuts, None,
                                     "Every shortcut of the menus and forms")
        self.act_about = self._action("&About", self.about)
        m = self.menuBar()
        file = m.addMenu("&File")
        for a in (self.act_new, self.act_import, self.act_templates, self.act_export, self.act_calendar,
                  self.act_print, self.act_backup, self.act_restore):
            file.addAction(a)
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = m.addMenu("&Edit")
        edit.addAction(self.act_find)
        view = m.addMenu("&View")
        view.addAction(self.act_refresh)
        view.addSeparator()
        for i, name in enumerate(PAGES):  # Ctrl+1… for the first nine, Ctrl+0 for Settings
            key = f"Ctrl+{i + 1}" if i < 9 else "Ctrl+0" if name == "Settings" else None
            view.addAction(self._action(name, lambda i=i: self.nav.setCurrentRow(i), key))
        tools = m.addMenu("&Tools")
        tools.addAction(self.act_calc)
        tools.addAction(self.act_audit)
        helpm = m.addMenu("&Help")
        helpm.addAction(self.act_keys)
        helpm.addAction(self.act_about)
        tb = QToolBar("Main", self)
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.act_new, self.act_find, self.act_refresh, self.act_calc):
            tb.addAction(a)
        self.addToolBar(tb)

    # -- pages ------------------------------------------------------------------------------------------
    def show_page(self, name: str) -> None:
        """Go to a page by name."""
        self.nav.setCurrentRow(PAGES.index(name))

    def current_page(self) -> QWidget:
        """The page on screen."""
        page = self.stack.currentWidget()
        assert page is not None  # the stack always holds the ten pages
        return page

    def _page_changed(self, row: int) -> None:
        if row < 0:
            return
        name = PAGES[row]
        self.stack.setCurrentIndex(row)
        QSettings().setValue("window/page", name)
        if name not in self._loaded:
            self._loaded.add(name)
            self.pages[name].refresh()  # type: ignore[attr-defined]

    def refresh(self) -> None:
        """Read every loaded page again (F5)."""
        def refresh_pages() -> None:
            for name in self._loaded:
                self.pages[name].refresh()  # type: ignore[attr-defined]
        self.ctx.reload_rules(then=refresh_pages)  # closure days or amounts a colleague changed, first

    def show_review_actions(self, review_id: int) -> None:
        """The Actions page, showing every action of one review."""
        self.show_page("Actions")
        page = self.actions_page
        page.status.setCurrentIndex(page.status.findData(""))
        page.overdue.setChecked(False)
        page.show_review(review_id)
        self.activateWindow()

    def _show_overdue_actions(self) -> None:
        self.show_page("Actions")
        self.actions_page.overdue.setChecked(True)

    def _show_request(self, request_id: int) -> None:
        self.show_page("Archive requests")
        self.requests_page.select_id(request_id)

    def _show_stage(self, stage: str) -> None:
        self.show_page("Incidents")
        self.incidents.set_stage(stage)

    def focus_find(self) -> None:
        """Focus the find box of the register on screen (the Incidents page otherwise)."""
        page = self.current_page()
        if not isinstance(page, IncidentsPage | ReviewsPage):
            self.show_page("Incidents")
            page = self.incidents
        page.search.setFocus()
        page.search.selectAll()

    def export(self) -> None:
        """Export the register on screen to Excel or CSV."""
        page = self.current_page()
        if isinstance(page, IncidentsPage | ReviewsPage):
            page.export()
        else:
            errors.information(self, "Export", "Open the Incidents or Reviews page to export its current view.")

    def print_page(self) -> None:
        """Ctrl+P: print the report on screen, or go to the Reports page to make one (the deadlines report first
        when coming from the dashboard)."""
        if self.current_page() is self.reports_page and self.reports_page.current is not None:
            self.reports_page.print_report()
            return
        if self.current_page() is self.dashboard:
            self.reports_page.select("deadlines")
        self.show_page("Reports")

    # -- records ----------------------------------------------------------------------------------------
    def new_incident(self) -> IncidentForm:
        """Open a blank incident form."""
        form = IncidentForm(self.ctx, None, self)
        self._track(form)
        form.open_review.connect(self.open_review)
        form.case_report.connect(self.show_case_report)
        form.case_document.connect(self.show_case_document)
        form.show()
        return form

    def open_incident(self, incident_id: int) -> None:
        """Open an incident's form (read in the background)."""
        self.ctx.ops.query(self, lambda svc: svc.incidents.get(incident_id), self._show_incident)

    def _show_incident(self, view: Any) -> None:
        form = IncidentForm(self.ctx, view, self)
        form.open_review.connect(self.open_review)
        form.case_report.connect(self.show_case_report)
        form.case_document.connect(self.show_case_document)
        self._track(form)
        form.show()

    def open_review(self, review_id: int, then: str = "") -> None:
        """Open a review's form (read in the background), then start the action ``then`` if it applies."""
        self.ctx.ops.query(self, lambda svc: svc.reviews.get(review_id), lambda v: self._show_review(v, then))

    def _show_review(self, view: Any, then: str = "") -> None:
        form = ReviewForm(self.ctx, view, self)
        form.open_incident.connect(self.open_incident)
        form.show_actions.connect(self.show_review_actions)
        form.case_report.connect(self.show_case_report)
        self._track(form)
        form.show()
        if then and then in view.available_actions():
            form.start_action(then)

    def show_case_report(self, reference: str) -> None:
        """Generate a record's case report on the Reports page (from its form) and bring this window forward."""
        self.show_case_document("case", reference)

    def show_case_document(self, kind: str, reference: str) -> None:
        """Generate report ``kind`` of one case (the case record, an incident's notification sheet or Rapid Review
        report) on the Reports page and bring this window forward."""
        self.reports_page.show_case(reference, kind)
        self.show_page("Reports")
        self.raise_()
        self.activateWindow()

    def _track(self, form: QWidget) -> None:
        self.forms.append(form)
        form.destroyed.connect(lambda _o=None, f=form: self.forms.remove(f) if f in self.forms else None)

    # -- tools ------------------------------------------------------------------------------------------
    def deadline_calculator(self) -> DeadlineCalculator:
        """Open the deadline calculator."""
        dlg = DeadlineCalculator(self.ctx, self)
        dlg.show()
        self.forms.append(dlg)
        return dlg

    def import_incidents(self) -> None:
        """Choose a spreadsheet, check it in the background, then show what it would import (or what is wrong)."""
        from bscp_desktop.ui.dialogs import import_dialog  # loaded when first used: not on the start-up path

        path = import_dialog.choose_sheet(self)
        if path is None:
            return
        self.ctx.ops.long_query(self, "Checking the file", lambda svc, _p: svc.incident_import.check(path),
                                self._import_checked)

    def _import_checked(self, plan: ImportPlan) -> None:
        from bscp_desktop.ui.dialogs import import_dialog

        self.importer = import_dialog.incident_dialog(self.ctx, plan, self)
        self.importer.open()

    def save_templates(self) -> None:
        """Write the three import templates into a folder the user chooses."""
        from bscp_desktop.services.exchange.templates import TEMPLATES, write_template
        from bscp_desktop.ui.dialogs import import_dialog

        folder = import_dialog.choose_folder(self, "Save import templates")
        if folder is None:
            return

        def work(_p: Any) -> list[Path]:
            return [write_template(kind, folder / f"bscp-import-{kind}.xlsx") for kind in TEMPLATES]

        self.ctx.runner.run(work, lambda paths: errors.information(
            self, "Templates saved", "Saved to " + str(folder) + ":\n" + "\n".join(p.name for p in paths)
            + "\n\nEach has the columns the import reads, an example row to replace with your own, and a "
            "second sheet saying what each column takes."), title="Saving templates", parent=self)

    def export_calendar(self) -> None:
        """Save the open clocks and agency actions as an iCalendar file, in the background."""
        path = register.save_path(self, "Export deadlines to calendar", "bscp-deadlines.ics",
                                  "Calendar files (*.ics)")
        if path is None:
            return
        if path.suffix.lower() != ".ics":
            path = path.with_name(path.name + ".ics")
        as_of = self.ctx.as_of()
        self.ctx.ops.long_query(self, "Exporting deadlines", lambda svc, _p: svc.ics_export.write(path, as_of),
                                self._calendar_written)

    def _calendar_written(self, done: CalendarExport) -> None:
        errors.information(self, "Deadlines exported",
                           f"{counted(done.clocks, 'statutory clock')} and {counted(done.actions, 'agency action')} "
                           "were saved to "
                           f"{done.path}.\n\nOpen the file with Outlook (or import it into any calendar): each "
                           "deadline is an all-day event with a reminder at 9 am on the day it turns amber. "
                           "Importing a newer export updates the same events.")

    def audit_log(self) -> AuditDialog:
        """Open the audit log (returned for tests)."""
        from bscp_desktop.ui.dialogs.audit_log import AuditDialog

        dlg = AuditDialog(self.ctx, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._track(dlg)
        dlg.show()
        return dlg

    def backup(self) -> None:
        """Save a consistent copy of the database (SQLite), in the background."""
        from bscp_desktop.store.backup import backup_sqlite

        path = register.save_path(self, "Back up the database", "bscp-backup.db", "Database files (*.db)")
        if path is None:
            return
        self.ctx.ops.long_query(self, "Backing up", lambda svc, _p: backup_sqlite(svc.db, path),
                                lambda out: errors.information(self, "Backed up", f"A copy was saved to {out}"))

    def restore_from_copy(self) -> None:
        """Choose one of the register's copies and put the register back as it was (administrators)."""
        self.ctx.ops.query(self, lambda svc: svc.register_copies(), self._restore_chosen, key="copies")

    def _restore_chosen(self, copies: list[Any]) -> None:
        from bscp_desktop.ui.dialogs import restore as restore_dialog

        copy = restore_dialog.choose_copy(self, copies)
        if copy is None:
            return
        for form in list(self.forms):  # a form open on the register as it is would save into the restored one
            if not form.close():
                return
        if not errors.ask(self, "Restore from a copy", f"Put the register back as {copy.name} was? What was "
                                                       "recorded since is kept only in the copy made now."):
            return
        self.ctx.poll_timer.stop()
        self.ctx.ops.long_write(self, "Restoring the register", lambda svc, _p: svc.restore_from(copy),
                                self._restored, after=self.ctx.poll_timer.start)

    def _restored(self, op: Any) -> None:
        done = op.value
        errors.information(self, "Restored", f"The register was put back as the {done.copy.kind} copy of "
                                             f"{done.copy.made:%d/%m/%Y}. The register as it was is kept as "
                                             f"{done.kept}.")

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every menu item with a shortcut, read from the menus themselves, and the
        forms' Save."""
        out: list[tuple[str, str]] = []
        for menu in self.menuBar().findChildren(QMenu):
            for act in menu.actions():
                keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()]
                if keys and act.text():
                    out.append((" or ".join(keys), act.text().replace("&", "").removesuffix("…")))
        save = QKeySequence(QKeySequence.StandardKey.Save).toString(QKeySequence.SequenceFormat.NativeText)
        out.append((save, "Save the incident or review form"))
        return out

    def keyboard_shortcuts(self) -> None:
        """Show every shortcut."""
        lines = "".join(f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{what}</td></tr>" for keys, what in self.shortcuts())
        errors.information(self, "Keyboard shortcuts", f"<table>{lines}</table>")

    def about(self) -> None:
        """Version and where things are."""
        errors.information(self, f"About {APP_TITLE}",
                           f"{APP_TITLE} {__version__}\nDatabase: {self.ctx.register_name}\n"
                           "Serious incident register, statutory clocks and publication catalogue.")

    def encrypt_register(self) -> None:
        """Encrypt the open register (Settings › Privacy): a key is chosen, then the program reopens it."""

        key = choose_key(self, self.ctx.register_name)
        if key is not None:
            encrypt_open_register(self.ctx, self, self.forms, key, self.relaunch, self.close)

    # -- window state -----------------------------------------------------------------------------------
    def _restore(self) -> None:
        s = QSettings()
        geometry = s.value("window/geometry")
        if not (isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(geometry)):
            self._default_geometry()
        page = s.value("window/page", "Dashboard")
        self.show_page(page if page in PAGES else "Dashboard")
        if self.nav.currentRow() == 0:
            self._page_changed(0)

    def _default_geometry(self) -> None:
        """First run: most of the screen, centred (at most 1600×1000)."""
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1366, 768)
            return
        area = screen.availableGeometry()
        w, h = min(1600, int(area.width() * 0.94)), min(1000, int(area.height() * 0.92))
        self.setGeometry(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2, w, h)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        for form in list(self.forms):
            if not form.close():
                event.ignore()
                return
        QSettings().setValue("window/geometry", self.saveGeometry())
        self.ctx.poll_timer.stop()
        self.ctx.runner.shutdown()
        private_temp.remove_session_folder()  # documents opened in a viewer are gone with the window
        event.accept()
