"""Application start-up: logging and the exception hook, opening (and migrating) the database before any
window, the first-run demo, the main window, and ``--self-test``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from bscp_desktop import APP_NAME, APP_TITLE
from bscp_desktop.services import Services
from bscp_desktop.store import private_temp
from bscp_desktop.store.engine import resolve_url, sqlite_path
from bscp_desktop.store.errors import PasswordNeeded, RegisterUnusable, StoreUnavailable, with_password
from bscp_desktop.store.keys import EncryptionKeyProblem, RegisterKey, new_register_key
from bscp_desktop.store.migrate import DatabaseTooNew
from bscp_desktop.ui.dialogs.passphrase import ask_new_passphrase, ask_passphrase, ask_server_password
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.runtime.tasks import install_main_thread_collector
from bscp_desktop.ui.shell.main_window import PAGES, MainWindow
from bscp_desktop.ui.widgets.keyboard import install_keyboard_policy
from bscp_desktop.util.machine_config import MachineConfigError
from bscp_desktop.util.resources import resources_dir
from bscp_desktop.util.words import counted


def use_settings_folder(folder: str | None) -> None:
    """Keep window state (QSettings) in ``folder`` as INI files instead of the user's own settings: for the
    self-test and the tests, which must not change what a user sees next time."""
    if folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def offscreen_screen(size: tuple[int, int]) -> None:
    """Without a display (``QT_QPA_PLATFORM=offscreen``), give the self-test a screen of ``size`` instead of Qt's
    800 × 800, so the forms open, and are pictured, as they fit a real screen of that size."""
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen" or QApplication.instance() is not None:
        return
    config = private_temp.session_folder() / "offscreen-screen.json"
    config.write_text(json.dumps({"screens": [{"name": "Self-test", "x": 0, "y": 0, "width": size[0],
                                               "height": size[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def make_app(keyboard_policy: bool = True) -> QApplication:
    """The QApplication, created once, with names used by QSettings; with the keyboard policy unless the caller
    installs it itself once its window is shown (``show_window``)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    install_main_thread_collector(app)
    if keyboard_policy:
        install_keyboard_policy(app)
    use_settings_folder(os.environ.get("BSCP_SETTINGS_DIR"))
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.svg")))
    return app


class OpeningCancelled(Exception):
    """The user cancelled a passphrase dialog: the register was not opened and nothing was changed."""


AskPassphrase = Callable[[str, str], str | None]  # (register, why the last one failed) → passphrase or None
AskPassword = Callable[[str, str, str], str | None]  # (server, login, why the last one failed) → password or None
AskNewPassphrase = Callable[[str], str | None]  # (register) → passphrase, "" for unencrypted, or None


def open_services(db: str | None, demo_on_first_run: bool, ask: AskPassphrase | None = None,
                  ask_new: AskNewPassphrase | None = None, ask_password: AskPassword | None = None) -> Services:
    """Open (and migrate) the database; a new one gets the starting catalogue, or demo data if asked.

    A new register (not a demo) is encrypted: with a key kept in the credential store, or with a passphrase
    chosen through ``ask_new`` where this PC has none. An encrypted register whose key is not found is opened
    with the passphrase ``ask`` returns, asked again (saying why) until it opens or the user cancels
    (``OpeningCancelled``); without ``ask`` the key problem is raised. A server that wants a password the
    address lacks is given the one ``ask_password`` returns, in memory only, asked again while it is refused."""
    path = sqlite_path(resolve_url(db))
    first_run = path is not None and not path.exists()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    key = _new_register_key(str(path), ask_new) if first_run and not demo_on_first_run else None
    problem = ""
    address = db
    while True:
        try:
            svc = Services.open(address, key=key)
            break
        except PasswordNeeded as e:
            if ask_password is None:
                raise
            typed = ask_password(e.server, e.login, "That password was refused: type it again." if e.refused else "")
            if typed is None:
                raise OpeningCancelled(str(e)) from None
            address = with_password(resolve_url(db), typed)
        except EncryptionKeyProblem as e:
            if ask is None:
                raise
            typed = ask(str(path), problem)
            if typed is None:
                raise OpeningCancelled(str(e)) from None
            key = RegisterKey.passphrase(typed)
            problem = "That passphrase does not open the register: check it (capitals too) and type it again."
    if first_run:
        if demo_on_first_run:
            svc.demo.build(300, 1)
        else:
            svc.initialise_new()
    return svc


def _new_register_key(register: str, ask_new: AskNewPassphrase | None) -> RegisterKey | None:
    """The key a new register is created with: the credential store's, else a passphrase the user chooses
    (None when they choose to leave it unencrypted, or there is nobody to ask)."""
    key = new_register_key()
    if key is not None or ask_new is None:
        return key
    chosen = ask_new(register)
    if chosen is None:
        raise OpeningCancelled("no passphrase was chosen for the new register")
    return RegisterKey.passphrase(chosen) if chosen else None


def run_gui(args: argparse.Namespace) -> int:
    """Open the application window (or run the self-test); returns the exit status."""
    errors.setup_logging()
    private_temp.sweep_leftovers()  # what a program that crashed left in its private folder goes now
    previous_crash = None
    if args.self_test:
        os.environ.setdefault("BSCP_SETTINGS_DIR", str(private_temp.session_folder() / "settings"))
        offscreen_screen(args.size or (1366, 768))
    else:
        previous_crash = errors.enable_crash_traces()
    app = make_app(keyboard_policy=False)  # installed once the window is shown: see show_window
    errors.install_excepthook()
    ask, ask_new = (None, None) if args.self_test else (ask_passphrase, ask_new_passphrase)
    ask_password = None if args.self_test else ask_server_password
    try:
        if args.demo:
            from bscp_desktop.util.paths import data_dir

            svc = open_services(str(data_dir() / "demo.db"), True, ask)
        else:
            svc = open_services(args.db, args.demo_on_first_run, ask, ask_new, ask_password)
    except OpeningCancelled:
        return 1
    except Exception as e:  # noqa: BLE001 - told in plain words (never a dialog in the self-test); logged
        title, text = cannot_open(e)
        if args.self_test:
            print(f"self-test failed: {text}", file=sys.stderr)
        else:
            errors.critical(None, title, text)
        return 1
    ctx = AppContext(svc)
    window = MainWindow(ctx)
    if args.self_test:
        try:
            return self_test(app, window, args.screenshots, args.size or (1366, 768))
        finally:
            private_temp.remove_session_folder()
    show_window(app, window)
    if previous_crash is not None:
        window.statusBar().showMessage(
            f"bscp-desktop closed unexpectedly last time. A report for your IT support was saved to {previous_crash}")
    start_daily_backup(window)
    code = app.exec()
    svc.close()
    private_temp.remove_session_folder()  # documents opened in a viewer go with the program
    return code


def show_window(app: QApplication, window: QWidget) -> None:
    """Show ``window``, then set the keyboard policy up over it (``keyboard.catch_up``): the window is built and
    shown without an application-wide event filter in the way."""
    window.show()
    install_keyboard_policy(app).catch_up()


def cannot_open(exc: BaseException) -> tuple[str, str]:
    """The title and plain message for a register that could not be opened (logged with its details)."""
    if isinstance(exc, DatabaseTooNew):
        return "Database is newer than this program", str(exc)
    if isinstance(exc, MachineConfigError):
        return "This PC's settings file cannot be used", (
            f"{exc}\n\nThe file is set by your IT department for everyone on this PC: ask them to put it right. "
            "Nothing was opened or changed.")
    if isinstance(exc, StoreUnavailable):
        return "Cannot reach the database", str(exc)
    if isinstance(exc, EncryptionKeyProblem):
        return "Encrypted register", str(exc)
    if isinstance(exc, RegisterUnusable):
        errors.log.warning("Could not open the register: %s", exc)
        return "Cannot open the register", str(exc)
    if isinstance(exc, OSError):
        return "Cannot open the register", errors.file_problem(exc)
    errors.log.error("Could not open the database", exc_info=exc)
    return "Cannot open the register", (
        f"The register could not be opened ({exc.__class__.__name__}). Nothing in it was changed. The details "
        f"are in the log: {errors.log_dir() / 'bscp-desktop.log'}")


def start_daily_backup(window: MainWindow) -> None:
    """Once a day, copy a SQLite database into the backups folder, in the background (see ``daily_backup``)."""
    from bscp_desktop.store.copies import daily_backup

    def done(out: Path | None) -> None:
        if out is not None:
            errors.log.info("Daily backup written to %s", out)
            window.statusBar().showMessage(f"Today's backup copy was saved to {out}", 10_000)

    def failed(exc: BaseException) -> None:
        errors.log.warning("Daily backup failed: %s", exc)
        window.statusBar().showMessage(f"Today's backup copy could not be made: {exc}. Details are in the log.")

    window.ctx.ops.query(window, lambda svc: daily_backup(svc.db, svc.today(),
                                                         keep_pre_upgrade_days=svc.cached_settings().copy_days), done,
                         on_error=failed)


def wait_idle(window: MainWindow, timeout: float = 60.0) -> bool:
    """Process events until no background task is running or waiting to deliver; False on timeout."""
    deadline = time.monotonic() + timeout
    app = QApplication.instance()
    assert app is not None
    quiet = 0
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if window.ctx.runner.busy:
            quiet = 0
        else:
            quiet += 1
            if quiet >= 3:
                return True
        time.sleep(0.01)
    return False


def _settings_shots(app: QApplication, window: MainWindow, shots: Path) -> None:
    """The lower half of Settings: the retention schedule, agencies and users."""
    window.show_page("Settings")
    for box, shot in ((window.settings_page.users, "settings-users"),
                      (window.settings_page.retention, "settings-retention")):
        window.settings_page.scroll_to(box)
        app.processEvents()
        window.grab().save(str(shots / f"{shot}.png"))


def _gathering_incident(svc: Any) -> int | None:
    """The incident whose Rapid Review is being gathered with the most children (the self-test shows its form)."""
    from bscp_desktop.domain.vocab import Stage
    from bscp_desktop.services.registers.registers import RegisterFilter

    rows = svc.registers.incident_rows(svc.registers.incident_ids(RegisterFilter(stage=Stage.RAPID_REVIEW)))
    return max(rows.values(), key=lambda r: (r.child_count, r.id)).id if rows else None


def _form_shots(window: MainWindow, shots: Path) -> None:
    """A PNG of each open form: an incident's, a new one, one whose Rapid Review is being gathered (with that
    section, its proceedings, and the report-sections and criteria dialogs), a review's, the deadline
    calculator."""
    for form in window.forms:
        name = {"IncidentForm": "incident-form", "ReviewForm": "review-form",
                "DeadlineCalculator": "deadline-calculator", "AboutDialog": "about"}[type(form).__name__]
        if name == "incident-form" and getattr(form, "view", None) is None:
            name = "incident-form-new"
        box = getattr(form, "rapid_review_box", None)
        if name == "incident-form" and box is not None and box.isVisible():
            name = "incident-form-rapid-review"
        form.grab().save(str(shots / f"{name}.png"))
        if name == "incident-form-rapid-review" and box is not None:  # the Rapid Review, below the details
            box.grab().save(str(shots / "incident-form-rapid-review-box.png"))
            proceedings = getattr(form, "proceedings_box", None)
            if proceedings is not None:
                proceedings.grab().save(str(shots / "incident-form-proceedings.png"))
            for dialog, shot in ((box.edit_report, "rapid-review-report-sections"),
                                 (box.edit_criteria, "rapid-review-criteria")):
                dlg = dialog()
                QApplication.processEvents()
                dlg.grab().save(str(shots / f"{shot}.png"))
                dlg.reject()


def _report_and_forms(app: QApplication, window: MainWindow, shots: Path | None) -> list[str]:
    """A report generated in the preview; an incident's form, a review's, one whose Rapid Review is being
    gathered, a new incident, the deadline calculator and Help › About; what went wrong."""
    failures = []
    window.show_page("Reports")
    window.reports_page.generate()
    wait_idle(window)
    app.processEvents()
    if window.reports_page.current is None:
        failures.append("Reports: the deadlines report was not generated")
    elif shots:
        window.grab().save(str(shots / "reports-preview.png"))
    if window.incidents.model.ids:
        window.open_incident(window.incidents.model.ids[0])
    if window.reviews.model.ids:
        window.open_review(window.reviews.model.ids[0])
    window.ctx.ops.query(window, _gathering_incident, lambda iid: window.open_incident(iid) if iid else None)
    wait_idle(window)
    window.new_incident()
    window.deadline_calculator()
    window.about()
    wait_idle(window)
    if shots:
        _form_shots(window, shots)
    return failures


def self_test(app: QApplication, window: MainWindow, shots: Path | None, size: tuple[int, int] = (1366, 768)) -> int:
    """Show the window, visit every page, open a record form and the calculator; save PNGs if asked.
    Exit 0 when every page loaded without an unexpected error."""
    failures: list[str] = []
    errors.critical = lambda _p, title, text, details="": failures.append(f"{title}: {text}")  # type: ignore[assignment]
    window.resize(*size)
    show_window(app, window)
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(PAGES):
        window.show_page(name)
        if not wait_idle(window):
            failures.append(f"{name}: still loading after 60 s")
        QTimer.singleShot(0, lambda: None)
        app.processEvents()
        if shots:
            window.grab().save(str(shots / f"{i + 1:02d}-{name.lower().replace(' ', '-')}.png"))
    if shots:
        _settings_shots(app, window, shots)
    failures += _report_and_forms(app, window, shots)
    failures += [f"unexpected error #{n + 1}" for n in range(errors.unexpected_count)]
    for f in list(window.forms):
        f.close()
    window.close()
    window.ctx.close_register()
    if failures:
        more = f" (and {counted(len(failures) - 1, 'other problem')}; see the log)" if len(failures) > 1 else ""
        for failure in failures:
            errors.log.error("self-test: %s", failure)
        print(f"self-test failed: {failures[0]}{more}", file=sys.stderr)
        return 1
    print(f"self-test passed: {len(PAGES)} pages" + (f", screenshots in {shots}" if shots else ""))
    return 0
