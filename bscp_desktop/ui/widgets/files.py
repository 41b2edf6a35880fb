"""Asking the user for files: one place, so every screen offers the same kinds and tests can answer for the
user by replacing the function."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

DOCUMENT_FILTER = "Documents (*.pdf *.docx *.doc *.pptx *.ppt *.odt *.txt);;All files (*)"


def choose_documents(parent: QWidget) -> list[Path]:
    """Ask for documents to add (reports, briefing notes, presentations); [] when the user cancels."""
    names, _ = QFileDialog.getOpenFileNames(parent, "Add documents", "", DOCUMENT_FILTER)
    return [Path(n) for n in names]


__all__ = ["DOCUMENT_FILTER", "choose_documents"]
