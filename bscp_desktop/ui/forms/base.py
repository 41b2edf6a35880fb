"""What every record form shares: labelled fields with an inline error under each, a background save, the
stale-save conflict ("changed by someone else": reload, keeping what was typed), and the unsaved-changes prompt.
Layout lives in each form's ``build_*`` methods; behaviour here and in the form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import ConflictError, Op, Services, ValidationError
from bscp_desktop.ui.forms.fields import FieldRow, place_problems, set_read_only, set_value_of, value_of
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.forms.timeline import Timeline
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import FieldError, hint
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.ui.widgets.mnemonics import assign_mnemonics


class RecordForm(QDialog):
    """Base of the incident and review forms. Subclasses fill ``self.fields`` and implement the hooks."""

    saved = Signal(object)  # the new view
    case_report = Signal(str)  # a reference: show this record's case report

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fields: dict[str, FieldRow] = {}
        self.general_error = FieldError(self)
        self.general_error.setAccessibleName("Form error")
        self.saving = False
        self._clean: dict[str, Any] = {}
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        self.mnemonics: dict[str, QWidget] = {}  # Alt+letter → field, given when the form is first shown
        self._focus_before_save: QWidget | None = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        if not self.mnemonics:
            self.mnemonics = assign_mnemonics(self)
        super().showEvent(event)

    # -- hooks ------------------------------------------------------------------------------------------
    def submit(self) -> Callable[[Services], Op[Any]]:
        """The service call that saves the form (validated by the service); built on the UI thread from the
        fields' values, run in the background by ``Ops.write``."""
        raise NotImplementedError

    def show_view(self, view: Any) -> None:
        """Show a freshly loaded view in every field."""
        raise NotImplementedError

    def reload_view(self) -> Callable[[Services], Any]:
        """The service call that reads the record again (run in the background by ``Ops.query``)."""
        raise NotImplementedError

    def case_reference(self) -> str:
        """The reference its case report is generated for; "" while there is none (a new record)."""
        raise NotImplementedError

    # -- dirty tracking ---------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Every field's value."""
        return {k: value_of(f.widget) for k, f in self.fields.items()} | self.extra_snapshot()

    def extra_snapshot(self) -> dict[str, Any]:
        """Values of widgets that are not plain fields (checkbox groups…)."""
        return {}

    def apply_extra(self, key: str, value: Any) -> None:
        """Put back a value that ``extra_snapshot`` read."""

    def mark_clean(self) -> None:
        """The form now matches what is saved."""
        self._clean = self.snapshot()
        if hasattr(self, "case_button"):
            self.case_button.setEnabled(bool(self.case_reference()))

    def is_dirty(self) -> bool:
        """True when the form has unsaved changes."""
        return self.snapshot() != self._clean

    # -- errors -----------------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        """Hide every inline error."""
        for f in self.fields.values():
            f.error.show_message(None)
        self.general_error.show_message(None)

    def show_problems(self, exc: ValidationError) -> None:
        """Put each problem under its field; problems for fields the form does not show go on top."""
        place_problems(self.fields, self.general_error, exc)

    def lay_out(self, title: QWidget, status: QWidget, details: QWidget, facts: QWidget, no_clocks_text: str) -> None:
        """The record layout: title and status on top; details (scrolling) on the left; the lifecycle facts and
        the timeline of clocks on the right; Save and Close below."""
        timeline_box = self._timeline_box(no_clocks_text)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(details)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        right = QVBoxLayout()
        right.addWidget(facts)
        right.addWidget(timeline_box, 1)
        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addLayout(right, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            self.ctx.writes(save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.close)
        self.case_button = QPushButton("Case record…", self)
        self.case_button.setToolTip("The case report of this record as saved (key facts, every clock, history), "
                                    "to preview, print or save for the case file")
        self.case_button.setEnabled(bool(self.case_reference()))
        self.case_button.clicked.connect(self.show_case_report)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        self.themes_label = QLabel(self)
        self.themes_label.setAccessibleName("Themes")
        self.themes_button = self.ctx.writes(QPushButton("Themes…", self))
        self.themes_button.setToolTip("Tag the learning themes of this record")
        self.themes_button.clicked.connect(self.edit_themes)
        head.addWidget(self.themes_label)
        head.addWidget(self.themes_button)
        head.addWidget(status)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        self.read_only_note = hint("", self)
        self.read_only_note.setAccessibleName("Read only")
        lay.addWidget(self.read_only_note)
        lay.addWidget(self.general_error)
        lay.addLayout(body, 1)
        lay.addLayout(self._foot())
        self._read_only_unless_allowed()

    def _foot(self) -> QHBoxLayout:
        """The case record on the left; when it was last saved, Save and Close on the right."""
        foot = QHBoxLayout()
        foot.addWidget(self.case_button)  # on the left, apart from Save and Close
        foot.addStretch(1)
        self.saved_note = hint("", self)
        self.saved_note.setAccessibleName("Saved")
        foot.addWidget(self.saved_note)
        foot.addWidget(self.buttons)
        return foot

    def _read_only_unless_allowed(self) -> None:
        """For a role that may not change the record (or a register open read-only): every field reads but
        does not edit, the buttons that would change it are disabled, and a line under the title says why."""
        refusal = self.ctx.refusal(Role.EDITOR)
        self.read_only_note.setText(f"You can read this record but not change it. {refusal}" if refusal else "")
        self.read_only_note.setVisible(refusal is not None)
        if refusal is None:
            return
        for row in self.fields.values():
            set_read_only(row.widget)

    def _timeline_box(self, no_clocks_text: str) -> QGroupBox:
        """The timeline of the record's clocks, with what it says when there are none."""
        self.timeline = Timeline(self)
        box = QGroupBox("Timeline", self)
        tl = QVBoxLayout(box)
        tl.addWidget(self.timeline)
        self.no_clocks = hint("", self)
        tl.addWidget(self.no_clocks)
        self.timeline.empty_changed = lambda empty: self.no_clocks.setText(  # type: ignore[method-assign]
            no_clocks_text if empty else "")
        return box

    def show_case_report(self) -> None:
        """Ask the main window for this record's case report; unsaved changes are not in it, so ask first."""
        reference = self.case_reference()
        if not reference:
            return
        if self.is_dirty() and not errors.ask(
                self, "Unsaved changes", "The case record shows this record as saved, without the changes made in "
                "this form. Show it anyway?"):
            return
        self.case_report.emit(reference)

    def date_format_errors(self) -> bool:
        """Show an inline error for each date field whose text is not a date; True if there were any."""
        bad = False
        for f in self.fields.values():
            if isinstance(f.widget, DateField):
                msg = f.widget.error()
                if msg and msg != "is required":
                    f.error.show_message(f"{f.label}: {msg}")
                    bad = True
        return bad

    # -- saving -----------------------------------------------------------------------------------------
    def save(self) -> None:
        """Validate, then save in the background; errors come back inline, conflicts offer a reload."""
        if self.saving:
            return
        self.clear_errors()
        if self.date_format_errors():
            return
        call = self.submit()
        self.saving = True
        self._focus_before_save = QApplication.focusWidget()  # the keyboard comes back here once saved
        self.setEnabled(False)
        self.ctx.ops.write(self, call, self._saved, on_invalid=self.show_problems, on_conflict=self.conflict,
                           on_unavailable=lambda exc: self.general_error.show_message(
                               f"{exc} What you typed is still here: press Save to try again."),
                           after=self._save_ended)

    def _save_ended(self) -> None:
        self.saving = False
        self.setEnabled(True)
        back = self._focus_before_save
        if back is not None and isValid(back) and back.isVisible() and self.isAncestorOf(back):
            back.setFocus(Qt.FocusReason.OtherFocusReason)

    def _saved(self, op: Op[Any]) -> None:
        self.show_view(op.value)
        self.mark_clean()
        self.saved_note.setText(f"Saved at {dt.datetime.now():%H:%M}.")  # Save and Ctrl+S say they did
        self.saved.emit(op.value)

    def conflict(self, exc: ConflictError) -> None:
        """Someone else saved first: offer to reload their version, keeping what the user typed."""
        if errors.ask(self, "Changed by someone else",
                      f"{exc}\n\nReload now? What you typed stays in the form: check it against their change, "
                      "then save again."):
            self.reload(keep_edits=True, after_conflict=True)
        else:
            self.general_error.show_message("Not saved: this record was changed by someone else. Reload to save.")

    def reload(self, keep_edits: bool = False, after_conflict: bool = False) -> None:
        """Read the record again in the background and show it."""
        self.ctx.ops.query(self, self.reload_view(), lambda v: self._reloaded(v, keep_edits, after_conflict),
                           key="reload")

    def _reloaded(self, view: Any, keep_edits: bool, after_conflict: bool = False) -> None:
        """Show the record as now saved; with ``keep_edits``, put back only the fields this user changed, so
        the other person's changes to other fields show and are not overwritten."""
        typed = self.snapshot()
        mine = {k: v for k, v in typed.items() if v != self._clean.get(k)} if keep_edits else {}
        self.show_view(view)
        self.mark_clean()
        for key, value in mine.items():
            if key in self.fields:
                set_value_of(self.fields[key].widget, value)
            else:
                self.apply_extra(key, value)
        if mine:
            fields = ", ".join(k.lower() for k in mine)
            self.general_error.show_message(
                f"Reloaded with the other person's change. Your changes to {fields} are kept: check them and save "
                "again." if after_conflict else f"Your unsaved changes to {fields} are kept: save them when ready.")

    # -- themes -----------------------------------------------------------------------------------------
    themes_entity = ""  # "incident" or "review"
    themes_dialog: Any = None

    def show_themes(self) -> None:
        """Read and show the record's themes (background)."""
        view = getattr(self, "view", None)
        self.themes_button.setEnabled(view is not None)
        if view is None:
            self.themes_label.setText("")
            return
        entity, vid = self.themes_entity, view.id
        self.ctx.ops.query(self, lambda svc: (svc.themes.of(entity, vid), svc.reference_lists.themes(active_only=False)),
                           self._themes_loaded, key="themes")

    def _themes_loaded(self, got: tuple[list[int], list[Any]]) -> None:
        self.themes_chosen, self.themes_all = got
        names = [t.name for t in self.themes_all if t.id in self.themes_chosen]
        self.themes_label.setText("Themes: " + (", ".join(names) if names else "none"))

    themes_chosen: list[int] = []  # noqa: RUF012 - replaced, never changed in place
    themes_all: list[Any] = []  # noqa: RUF012 - every theme, retired ones too

    def edit_themes(self) -> Any:
        """Choose the record's themes from those read with the record (returned for tests)."""
        view = getattr(self, "view", None)
        if view is None:
            return None
        entity, chosen = self.themes_entity, self.themes_chosen
        # Retired themes the record carries stay in the list, or saving would drop them silently.
        themes = [t for t in self.themes_all if t.active or t.id in chosen]
        dlg = FieldsDialog(self.ctx, "Themes", "Tag the learning themes this record shows.",
                           [Spec("Themes", "checklist", tuple(chosen), [(t.name, t.id) for t in themes])],
                           lambda x: lambda svc: svc.themes.tag(entity, view.id, list(x["Themes"])),
                           lambda _op: self.show_themes(), self.show_themes, self)
        self.themes_dialog = dlg
        dlg.open()
        return dlg

    # -- closing ----------------------------------------------------------------------------------------
    def reject(self) -> None:
        """Escape closes the form the way Close does: asking first when it holds unsaved changes."""
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.is_dirty() and not self.saving:
            answer = errors.ask_save_discard_cancel(self, "Unsaved changes",
                                                    "This form has changes that are not saved. Save them?")
            if answer == "cancel":
                event.ignore()
                return
            if answer == "save":
                self.save()
                event.ignore()
                self.saved.connect(lambda _v: self.close())
                return
        event.accept()
