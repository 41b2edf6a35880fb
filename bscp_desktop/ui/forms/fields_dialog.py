"""Small dialogs of named fields: the lifecycle steps (record the notification, the Rapid Review, the
decision…) and the short forms of the pages (a theme, an agency, a request). Validated by the service in the
background, with problems shown under the fields and a live preview of the clock a date starts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from bscp_desktop.services import ConflictError, Op, Services, ValidationError
from bscp_desktop.ui.forms.fields import FieldRow, add_field, place_problems
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import FieldError, hint, leads_to
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.ui.widgets.mnemonics import assign_mnemonics

Submit = Callable[[dict[str, Any]], Callable[[Services], Op[Any]]]


def from_fields(call: Callable[..., Op[Any]], *labels: str) -> Submit:
    """A dialog's submit that writes ``call(services, value, …)`` with the values of the fields ``labels``, read
    when OK is pressed."""
    def submit(values: dict[str, Any]) -> Callable[[Services], Op[Any]]:
        args = tuple(values[label] for label in labels)
        return lambda svc: call(svc, *args)
    return submit


@dataclass
class Spec:
    """One field of a fields dialog. ``label`` is also the field name the service uses in its messages."""

    label: str
    kind: str  # "date", "line", "password", "text", "choice", "checklist"
    default: Any = None
    choices: list[tuple[str, Any]] = field(default_factory=list)
    preview: Callable[[Any], str] | None = None  # live text under the field from its value
    placeholder: str = ""
    lines: int = 4  # the height of a "text" field, in lines


FIND_FROM = 8  # a list of more choices than this gets a find box
MAX_LIST_WIDTH = 760


class FieldsDialog(QDialog):
    """A dialog of fields from ``specs``; OK writes ``submit(values)`` (a service call built from the
    values) through ``Ops.write``, which broadcasts the change; then ``on_done(op)``."""

    def __init__(self, ctx: AppContext, title: str, intro: str, specs: list[Spec],
                 submit: Submit, on_done: Callable[[Op[Any]], None], on_conflict: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.submit, self.on_done, self.on_conflict = ctx, submit, on_done, on_conflict
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(520)
        self.fields: dict[str, FieldRow] = {}
        self.specs = {s.label: s for s in specs}
        self.previews: dict[str, QLabel] = {}
        lay = QVBoxLayout(self)
        if intro:
            lay.addWidget(hint(intro, self))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for s in specs:
            w = self._widget(s)
            below = None
            if s.preview is not None:
                below = self.previews[s.label] = hint("", self)
            box = add_field(form, self.fields, s.label, w, below)
            if isinstance(w, QListWidget) and w.count() > FIND_FROM:
                box_layout = box.layout()
                assert isinstance(box_layout, QVBoxLayout)
                box_layout.insertWidget(0, self._find_box(s.label, w))
        inner = QWidget(self)
        inner.setLayout(form)
        self.scroller = QScrollArea(self)  # a long dialog scrolls instead of squashing its fields on a small screen
        self.scroller.setWidget(inner)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 768
        self.scroller.setMinimumHeight(min(inner.sizeHint().height(), max(200, screen - 220)))
        self.scroller.setMinimumWidth(inner.sizeHint().width() + self.scroller.verticalScrollBar().sizeHint().width())
        lay.addWidget(self.scroller)
        self.general_error = FieldError(self)
        lay.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record")
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        for s in specs:
            self._update_preview(s.label)
        self.opened_with = self.values()  # what Escape or Cancel would throw away is what differs from this
        self.mnemonics = assign_mnemonics(self)  # Alt+letter to each field

    def reject(self) -> None:
        """Escape and Cancel ask before throwing away what was typed; unchanged, the dialog just closes."""
        if self.values() != self.opened_with and not errors.ask(
                self, "Discard what you typed?", "Close without recording what you entered here?"):
            return
        super().reject()

    def _widget(self, s: Spec) -> QWidget:
        if s.kind == "date":
            date = DateField(s.label, self)
            date.set_value(s.default)
            date.changed.connect(lambda _v, k=s.label: self._update_preview(k))
            w: QWidget = date
        elif s.kind == "line":
            w = QLineEdit(str(s.default or ""), self)
            w.setPlaceholderText(s.placeholder)
            w.textChanged.connect(lambda _t, k=s.label: self._update_preview(k))
        elif s.kind == "password":  # typed, shown as dots, never kept by the program
            w = QLineEdit("", self)
            w.setEchoMode(QLineEdit.EchoMode.Password)
            w.setPlaceholderText(s.placeholder)
        elif s.kind == "text":
            w = QPlainTextEdit(str(s.default or ""), self)
            w.setPlaceholderText(s.placeholder)
            w.setTabChangesFocus(True)
            w.setFixedHeight(w.fontMetrics().height() * s.lines + 12)
        elif s.kind == "choice":
            w = QComboBox(self)
            for label, value in s.choices:
                w.addItem(label, value)
            i = w.findData(s.default)
            w.setCurrentIndex(max(0, i))
            w.currentIndexChanged.connect(lambda _i, k=s.label: self._update_preview(k))
        elif s.kind == "checklist":
            w = QListWidget(self)
            for label, value in s.choices:
                item = QListWidgetItem(label, w)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if value in (s.default or ()) else Qt.CheckState.Unchecked)
            w.setFixedHeight(min(8, max(3, len(s.choices))) * (w.fontMetrics().height() + 6) + 6)
            widest = max((w.fontMetrics().horizontalAdvance(label) for label, _ in s.choices), default=0)
            w.setMinimumWidth(min(widest + 60, MAX_LIST_WIDTH))  # each title readable, up to a wide dialog
        else:
            raise ValueError(s.kind)
        w.setAccessibleName(s.label)
        return w

    def _find_box(self, label: str, listing: QListWidget) -> QLineEdit:
        """A find box over a long list of choices: typing shows only the choices that contain the words typed
        (ticked ones stay ticked, shown or not); Down moves into the list."""
        find = QLineEdit(self)
        find.setPlaceholderText(f"Find in {label.lower()}: type part of a reference or title")
        find.setClearButtonEnabled(True)
        find.setAccessibleName(f"Find in {label.lower()}")

        def show_matching(text: str) -> None:
            words = text.lower().split()
            for i in range(listing.count()):
                item = listing.item(i)
                item.setHidden(not all(word in item.text().lower() for word in words))
        find.textChanged.connect(show_matching)
        leads_to(find, listing)
        return find

    def values(self) -> dict[str, Any]:
        """Field label → value (dates as ``date`` or None, checklists as a tuple of values)."""
        out: dict[str, Any] = {}
        for label, f in self.fields.items():
            w = f.widget
            if isinstance(w, DateField):
                out[label] = w.value()
            elif isinstance(w, QLineEdit):
                out[label] = w.text()
            elif isinstance(w, QPlainTextEdit):
                out[label] = w.toPlainText()
            elif isinstance(w, QComboBox):
                out[label] = w.currentData()
            elif isinstance(w, QListWidget):
                out[label] = tuple(w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
                                   if w.item(i).checkState() == Qt.CheckState.Checked)
        return out

    def _update_preview(self, label: str) -> None:
        spec = self.specs[label]
        if spec.preview is None:
            return
        try:
            text = spec.preview(self.values()[label])
        except Exception:  # noqa: BLE001 - a preview never stops typing
            text = ""
        self.previews[label].setText(text)
        self.previews[label].setVisible(bool(text))

    def run(self) -> None:
        """Check date formats, then record in the background."""
        for f in self.fields.values():
            f.error.show_message(None)
        self.general_error.show_message(None)
        bad = False
        for f in self.fields.values():
            if isinstance(f.widget, DateField) and f.widget.error() and f.widget.text().strip():
                f.error.show_message(f"{f.label}: {f.widget.error()}")
                bad = True
        if bad:
            return
        call = self.submit(self.values())
        back = QApplication.focusWidget()  # the keyboard comes back here when the record is refused
        self.setEnabled(False)
        self.ctx.ops.write(self, call, self._done, on_invalid=self._invalid, on_conflict=self._conflict,
                           after=lambda: self._enable(back))

    def _enable(self, back: QWidget | None) -> None:
        self.setEnabled(True)
        if back is not None and isValid(back) and self.isAncestorOf(back) and self.isVisible():
            back.setFocus(Qt.FocusReason.OtherFocusReason)

    def _done(self, op: Op[Any]) -> None:
        self.on_done(op)
        self.accept()

    def _invalid(self, exc: ValidationError) -> None:
        place_problems(self.fields, self.general_error, exc)
        QTimer.singleShot(0, self._show_whole_refusal)

    def _show_whole_refusal(self) -> None:
        """Grow the dialog, as far as the screen allows, so the refusal and its field show whole, and scroll to the
        first field refused (the rest scrolls on a small screen)."""
        inner = self.scroller.widget()
        if inner is None:
            return
        missing = inner.sizeHint().height() - self.scroller.viewport().height()
        room = self.screen().availableGeometry().height() - 80 if self.screen() is not None else 688
        if missing > 0:
            self.resize(self.width(), min(self.height() + missing, max(room, self.height())))
        refused = next((row.error for row in self.fields.values() if row.error.isVisible()), None)
        if refused is not None:
            self.scroller.ensureWidgetVisible(refused, 0, 8)

    def _conflict(self, exc: ConflictError) -> None:
        if errors.ask(self, "Changed by someone else",
                      f"{exc}\n\nReload the record now? What you entered here stays; press Record again."):
            self.on_conflict()
