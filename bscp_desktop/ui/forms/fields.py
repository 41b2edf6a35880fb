"""The parts every form and field dialog is made of: a labelled field with its error line (``add_field``),
label columns that line up, a group box of fields, reading and setting a field's value whatever its widget, and
placing a service's problems under the fields they name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.services import ValidationError
from bscp_desktop.ui.widgets.common import FieldError
from bscp_desktop.ui.widgets.dates import DateField


class FieldRow:
    """A field widget and its inline error label."""

    def __init__(self, label: str, widget: QWidget, error: FieldError) -> None:
        self.label, self.widget, self.error = label, widget, error


def add_field(form: QFormLayout, fields: dict[str, FieldRow], label: str, widget: QWidget,
              below: QWidget | None = None) -> QWidget:
    """Add ``widget`` to ``form`` under ``label`` with an error label (and an optional hint) below it."""
    box = QWidget()
    box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(widget)
    if below is not None:
        lay.addWidget(below)
    err = FieldError(box)
    err.setAccessibleName(f"{label} error")
    lay.addWidget(err)
    if not widget.accessibleName():
        widget.setAccessibleName(label)
    lab = QLabel(label + ":")
    lab.setBuddy(widget)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.addRow(lab, box)
    fields[label] = FieldRow(label, widget, err)
    return box


def align_label_columns(*forms: QFormLayout) -> None:
    """Give the label columns of forms stacked one above another the same width, so their fields line up."""
    labels = [w for f in forms for r in range(f.rowCount())
              if (item := f.itemAt(r, QFormLayout.ItemRole.LabelRole)) is not None and (w := item.widget()) is not None]
    width = max((lab.sizeHint().width() for lab in labels), default=0)
    for lab in labels:
        lab.setMinimumWidth(width)


def form_group(title: str, form: QFormLayout, parent: QWidget) -> QGroupBox:
    """A group box holding ``form`` at the top, extra height left empty below it."""
    box = QGroupBox(title, parent)
    lay = QVBoxLayout(box)
    lay.addLayout(form)
    lay.addStretch(1)
    return box


def value_of(widget: QWidget) -> Any:
    """A field widget's current value, for dirty tracking."""
    if isinstance(widget, DateField):
        return widget.text().strip()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText().strip()
    if isinstance(widget, QComboBox):
        return widget.currentData() if widget.currentData() is not None else widget.currentText()
    return None


def place_problems(fields: dict[str, FieldRow], general: FieldError, exc: ValidationError) -> None:
    """Show each problem under its field; problems for fields not on screen go in ``general``."""
    other: list[str] = []
    for f in fields.values():
        f.error.show_message(None)
    for p in exc.problems:
        row = fields.get(p.field)
        if row is not None:
            row.error.show_message(str(p))  # "Field: rule", as every refusal reads
        else:
            other.append(f"{p.field}: {p.message}")
    general.show_message("\n".join(other) or None)
    first = next((fields[p.field] for p in exc.problems if p.field in fields), None)
    if first is not None:
        first.widget.setFocus()


def set_value_of(widget: QWidget, value: Any) -> None:
    """Put back a value that ``value_of`` read."""
    if isinstance(widget, DateField):
        widget.edit.setText(value)
    elif isinstance(widget, QLineEdit):
        widget.setText(value)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, QComboBox):
        i = widget.findData(value)
        if i >= 0:
            widget.setCurrentIndex(i)
        elif widget.isEditable():
            widget.setCurrentText(value)


def set_read_only(widget: QWidget) -> None:
    """Let ``widget`` be read, not edited: text stays selectable, choices and dates are disabled, and a compound
    field (the children's list) keeps its list readable and disables what would change it."""
    own = getattr(widget, "set_read_only", None)
    if callable(own):
        own()
    elif isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.setReadOnly(True)
    else:
        widget.setEnabled(False)


__all__ = ["FieldRow", "add_field", "align_label_columns", "form_group", "place_problems", "set_read_only", "set_value_of", "value_of"]
