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
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.store import private_temp
from bscp_desktop.ui.dialogs.encrypt_now import choose_key, encrypt_open_register, relaunch_program
from bscp_desktop.ui.dialogs.screen_lock import ScreenLock
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.shell.menus import PAGES, build_menus
from bscp_desktop.ui.shell.page_stack import PageOf, PageStack
from bscp_desktop.ui.shell.record_windows import RecordWindows
from bscp_desktop.ui.shell.register_tools import RegisterTools
from bscp_desktop.util.dates import uk_long
from bscp_desktop.util.resources import resources_dir

if TYPE_CHECKING:
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


class MainWindow(RecordWindows, RegisterTools, QMainWindow):
    """The application window."""

    # The window's actions, made by ``menus.build_menus``.
    act_about: QAction
    act_audit: QAction
    act_backup: QAction
    act_calc: QAction
    act_calendar: QAction
    act_export: QAction
    act_find: QAction
    act_import: QAction
    act_keys: QAction
    act_new: QAction
    act_print: QAction
    act_quit: QAction
    act_refresh: QAction
    act_restore: QAction
    act_templates: QAction

    # The pages, each made when first shown or read (``page_stack``).
    dashboard: PageOf[DashboardPage] = PageOf("Dashboard")
    incidents: PageOf[IncidentsPage] = PageOf("Incidents")
    reviews: PageOf[ReviewsPage] = PageOf("Reviews")
    catalogue_page: PageOf[CataloguePage] = PageOf("Catalogue")
    requests_page: PageOf[RequestsPage] = PageOf("Archive requests")
    actions_page: PageOf[ActionsPage] = PageOf("Actions")
    themes_page: PageOf[ThemesPage] = PageOf("Themes")
    statistics_page: PageOf[StatisticsPage] = PageOf("Statistics")
    reports_page: PageOf[ReportsPage] = PageOf("Reports")
    retention_page: PageOf[RetentionPage] = PageOf("Retention")
    settings_page: PageOf[SettingsPage] = PageOf("Settings")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.setParent(self)  # the context, its poll and its bus live exactly as long as the window
        # The application's display name is added to every window's title by Qt: not written here again.
        self.setWindowTitle(ctx.settings.partnership_name)
        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.svg")))
        self.forms: list[QWidget] = []
        self.relaunch: Callable[[Path], None] = relaunch_program  # starts the program again on a register
        self._build_pages()
        self._build_central()
        build_menus(self)
        self._build_status_bar()
        self.nav.currentRowChanged.connect(self._page_changed)
        self._restore()

    def _build_pages(self) -> None:
        """The list of pages on the left and the stack that shows one of them."""
        self.nav = QListWidget(self)
        self.nav.setAccessibleName("Pages")
        self.nav.addItems(PAGES)
        self.nav.setFixedWidth(self.nav.fontMetrics().horizontalAdvance("Archive requests") + 48)
        self.stack = PageStack(PAGES, self.ctx, self)
        self.stack.made.connect(self._connect_page)
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
        self.ctx.ops.query(self, lambda svc: svc.audit_log.is_demo(), self._show_demo)

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

    def _connect_page(self, name: str, _page: QWidget) -> None:
        """What a page asks of the window (open a record, show a stage, export the calendar), connected as the
        page is made."""
        if name == "Dashboard":
            dashboard = self.dashboard
            dashboard.open_incident.connect(self.open_incident)
            dashboard.open_review.connect(self.open_review)
            dashboard.show_stage.connect(self._show_stage)
            dashboard.open_request.connect(self._show_request)
            dashboard.show_overdue_actions.connect(self._show_overdue_actions)
            dashboard.open_review_actions.connect(self.show_review_actions)
            dashboard.export_calendar.connect(self.export_calendar)
        elif name == "Incidents":
            self.incidents.open_record.connect(self.open_incident)
            self.incidents.new_record.connect(self.new_incident)
        elif name == "Reviews":
            self.reviews.open_record.connect(self.open_review)
        elif name == "Catalogue":
            self.catalogue_page.open_review.connect(self.open_review)
            self.catalogue_page.take_down.connect(lambda rid: self.open_review(rid, then="take-down"))
        elif name == "Settings":
            self.settings_page.lock_minutes_changed.connect(self.screen_lock.set_minutes)
            self.settings_page.encrypt_requested.connect(self.encrypt_register)

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
            self.setWindowTitle("DEMO DATABASE (fictional cases)")

    # -- menus ------------------------------------------------------------------------------------------
    # -- pages ------------------------------------------------------------------------------------------
    def show_page(self, name: str) -> None:
        """Go to a page by name."""
        self.nav.setCurrentRow(PAGES.index(name))

    def current_page(self) -> QWidget:
        """The page on screen."""
        page = self.stack.currentWidget()
        assert page is not None  # a page is made before it is shown (page_stack)
        return page

    def all_pages(self) -> dict[str, QWidget]:
        """Every page by name, in the navigation's order (those not made yet are made now)."""
        return {name: self.stack.page(name) for name in PAGES}

    def _page_changed(self, row: int) -> None:
        if row < 0:
            return
        name = PAGES[row]
        page = self.stack.page(name)
        self.stack.setCurrentIndex(row)
        QSettings().setValue("window/page", name)
        if name not in self._loaded:
            self._loaded.add(name)
            page.refresh()  # type: ignore[attr-defined]

    def refresh(self) -> None:
        """Read every loaded page again (F5)."""
        def refresh_pages() -> None:
            for name in self._loaded:
                self.stack.page(name).refresh()  # type: ignore[attr-defined]
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
        """Go to the find box of the page on screen; on a page without one, say which pages have one."""
        page = self.current_page()
        search = getattr(page, "search", None)
        if isinstance(search, QLineEdit):
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            search.selectAll()
            return
        with_find = [name for name, p in self.all_pages().items()
                     if isinstance(getattr(p, "search", None), QLineEdit)]
        self.statusBar().showMessage(
            f"The {PAGES[self.stack.currentIndex()]} page has no find box. Find works on the "
            f"{', '.join(with_find[:-1])} and {with_find[-1]} pages.", 10_000)

    def export(self) -> None:
        """Export the register on screen to Excel or CSV."""
        page = self.current_page()
        if page in (self.stack.made_pages().get("Incidents"), self.stack.made_pages().get("Reviews")):
            page.export()  # type: ignore[attr-defined]
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

    def about(self) -> QDialog:
        """Help › About: versions, the register's schema and the licence notices (returned for tests)."""
        from bscp_desktop.store.migrate import newest_revision_file
        from bscp_desktop.ui.dialogs.about import AboutDialog

        dlg = AboutDialog(self.ctx, newest_revision_file(), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._track(dlg)
        dlg.show()
        return dlg

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
