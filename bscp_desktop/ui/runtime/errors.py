"""Logging to the user log folder, the last-resort exception hook, and the small dialog functions every part of
the UI uses to tell the user something (tests replace them to answer the questions)."""

from __future__ import annotations

import datetime as dt
import faulthandler
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import DBAPIError

from bscp_desktop.services import ConflictError, NotFound, PermissionDenied, ServiceError, ValidationError
from bscp_desktop.services.exchange.sheet import SheetError
from bscp_desktop.store.errors import (
    ReadOnlyStore,
    RegisterUnusable,
    StoreUnavailable,
    ValueRefused,
    plain_database_error,
    store_fault,
)
from bscp_desktop.util.log_file import log, setup_logging
from bscp_desktop.util.paths import log_dir

__all__ = ["log", "setup_logging"]

_crash_file: IO[str] | None = None


def enable_crash_traces() -> Path | None:
    """Have a native crash (one Python cannot catch) leave every thread's stack in ``crash.log`` in the user
    log folder. A trace left by the previous run is first kept aside as ``crash-<when>.log``, whose path is
    returned so the window can say the program closed unexpectedly last time."""
    global _crash_file
    folder = log_dir()
    current = folder / "crash.log"
    kept: Path | None = None
    if current.exists() and current.stat().st_size > 0:
        kept = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
        current.replace(kept)
        log.warning("The previous run ended in a native crash; its trace is in %s", kept)
    if _crash_file is None:
        _crash_file = open(current, "w", encoding="utf-8")
        faulthandler.enable(_crash_file, all_threads=True)
    return kept


# -- dialogs (module-level so tests can replace them) ------------------------------------------------------
def critical(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    """Tell the user something went wrong."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def information(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something."""
    QMessageBox.information(parent, title, text)


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; True for yes."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_discard_cancel(parent: QWidget | None, title: str, text: str) -> str:
    """"save", "discard" or "cancel"."""
    b = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, title, text, b.Save | b.Discard | b.Cancel, b.Save)
    return {b.Save: "save", b.Discard: "discard"}.get(answer, "cancel")


# -- unexpected errors ----------------------------------------------------------------------------------
unexpected_count = 0


def report_unexpected(parent: QWidget | None, exc: BaseException) -> None:
    """Log an unexpected error with its traceback and show it in a dialog; the program carries on."""
    global unexpected_count
    unexpected_count += 1
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("Unexpected error: %s", details)
    critical(parent, "Something went wrong",
             "bscp-desktop met an unexpected problem. Nothing you had saved is lost; the action that failed "
             f"was not saved.\n\n{exc.__class__.__name__}: {exc}\n\nThe details are in the log: "
             f"{log_dir() / 'bscp-desktop.log'}", details)


def file_problem(exc: OSError) -> str:
    """A file the program could not read or write, in words (a file open in Excel is the usual cause)."""
    text = f"Could not use {exc.filename}: {exc.strerror or exc}."
    if isinstance(exc, PermissionError):
        text += " If the file is open in another program (such as Excel or Outlook), close it and try again."
    return text


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show a service error as it is (validation, conflict, not found), anything else as unexpected."""
    if isinstance(exc, StoreUnavailable):
        critical(parent, "Database not available", str(exc))
    elif isinstance(exc, ReadOnlyStore):
        critical(parent, "Register is read-only", str(exc))
    elif isinstance(exc, RegisterUnusable):
        critical(parent, "Cannot use the register", str(exc))
    elif isinstance(exc, ValueRefused):
        critical(parent, "Value refused", str(exc))
    elif isinstance(exc, DBAPIError) and store_fault(exc):
        log.error("Database error", exc_info=exc)
        critical(parent, "Cannot use the register",
                 plain_database_error(exc, "The register") + ". Nothing was saved. The details are in the log: "
                 f"{log_dir() / 'bscp-desktop.log'}")
    elif isinstance(exc, PermissionDenied):
        critical(parent, "Not allowed", str(exc))
    elif isinstance(exc, ValidationError):
        critical(parent, "Please check", "\n".join(f"• {p.field}: {p.message}" for p in exc.problems))
    elif isinstance(exc, ConflictError | NotFound | ServiceError):
        critical(parent, "Not saved", str(exc))
    elif isinstance(exc, SheetError):
        critical(parent, "Cannot import", str(exc))
    elif isinstance(exc, OSError) and exc.filename:
        critical(parent, "File not written", file_problem(exc))
    else:
        report_unexpected(parent, exc)


def install_excepthook() -> None:
    """Route uncaught exceptions (in slots, timers…) to ``report_unexpected`` instead of crashing."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        report_unexpected(None, exc)

    sys.excepthook = hook
