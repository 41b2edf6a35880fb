"""The review form's publication parts: holds on publication while parallel proceedings run, the
pre-publication checklist, and the Panel's notice of a delay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.vocab import (
    PUBLICATION_TARGET_KINDS,
    ChecklistStep,
    PublicationHoldKind,
    ReviewStatus,
    Role,
)
from bscp_desktop.services import Op, Services
from bscp_desktop.services.reviews.checklist import Checklist
from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput, PublicationHoldView
from bscp_desktop.services.reviews.reviews import ReviewView
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import open_file, warn
from bscp_desktop.util.dates import uk
from bscp_desktop.util.words import counted


class ReviewPublicationParts:
    """The holds, the checklist and the Panel's notice of the review form (a mixin of ``ReviewForm``, which
    gives the context and the review shown)."""

    ctx: AppContext
    view: ReviewView
    step_dialog: FieldsDialog | None
    action_note: QLabel  # the form's own: the line under its actions that says why one will be refused

    reload: Callable[..., None]  # the form's own: read the review again
    _action_done: Callable[[Op[Any]], None]  # the form's own: after a step is recorded

    def as_widget(self) -> QWidget:
        """The form itself, as the parent of the dialogs these parts open."""
        assert isinstance(self, QWidget)
        return self

    def _holds_row(self) -> QHBoxLayout:
        """The publication holds and the buttons that place and lift one."""
        self.holds: list[PublicationHoldView] = []
        self.holds_label = QLabel(self.as_widget())
        self.holds_label.setWordWrap(True)
        self.holds_label.setAccessibleName("Publication holds")
        self.hold_button = QPushButton("Hold publication…", self.as_widget())
        self.hold_button.setToolTip("Criminal proceedings, an inquest or family proceedings must finish first: the "
                                    "publication clock is on hold until the hold is lifted")
        self.ctx.writes(self.hold_button)
        self.lift_button = self.ctx.writes(QPushButton("Lift hold…", self.as_widget()))
        self.hold_button.clicked.connect(self.start_hold)
        self.lift_button.clicked.connect(self.lift_hold)
        row = QHBoxLayout()
        row.addWidget(self.holds_label, 1)
        row.addWidget(self.hold_button)
        row.addWidget(self.lift_button)
        return row

    def _checklist_row(self) -> QHBoxLayout:
        """The pre-publication checklist, what is left, and the buttons that record a step or publish anyway."""
        self.checklist: Checklist | None = None
        self.checklist_label = QLabel(self.as_widget())
        self.checklist_label.setWordWrap(True)
        self.checklist_label.setAccessibleName("Pre-publication checklist")
        self.step_button = self.ctx.writes(QPushButton("Record step…", self.as_widget()))
        self.override_button = QPushButton("Publish with steps open…", self.as_widget())
        self.override_button.setToolTip("An administrator may record publication before every step is done, "
                                        "saying why (audited)")
        self.ctx.writes(self.override_button, needs=Role.ADMIN)
        self.step_button.clicked.connect(self.record_step)
        self.override_button.clicked.connect(self.publish_over_checklist)
        buttons = QVBoxLayout()
        buttons.addWidget(self.step_button)
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.checklist_label, 1)
        row.addLayout(buttons)
        return row

    def _show_checklist(self, checklist: Checklist) -> None:
        self.checklist = checklist
        lines = []
        for v in checklist.steps:
            if v.done:
                when = f" — {uk(v.done_on)} by {v.done_by}" if v.done_on and v.done_by else (
                    f" — {uk(v.done_on)}" if v.done_on else f" — {v.note}" if v.note else "")
                lines.append(f"✔ {v.step.label}{when}")
            elif not v.step.before_publication:
                lines.append(f"○ {v.step.label} (after publication)")
            else:
                lines.append(f"<b>○ {v.step.label}</b>{': ' + v.missing if v.missing else ''}")
        left = len(checklist.open_before_publication)
        title = ("Before publication: every step done." if not left else
                 f"Before publication: <b>{counted(left, 'step')} left</b>.")
        self.checklist_label.setText(title + "<br>" + "<br>".join(lines))
        publishable = "publish" in self.view.available_actions()
        self.step_button.setEnabled(any(v.step.recorded and not v.done for v in checklist.steps))
        self.override_button.setVisible(publishable and bool(left))
        publish = self.as_widget().findChild(QPushButton, "action-publish")
        warn(self.action_note, publish, "" if not (publishable and left) else
             f"Record publication… will be refused while {counted(left, 'checklist step')} before publication "
             f"{'is' if left == 1 else 'are'} open. Record each with Record step…; an administrator may publish with "
             "steps open, saying why.")

    def record_step(self) -> FieldsDialog | None:
        """Record a checklist step staff take, with its date and a note (returned for tests)."""
        if self.checklist is None:
            return None
        open_steps = [v.step for v in self.checklist.steps if v.step.recorded and not v.done]
        if not open_steps:
            return None
        vid = self.view.id
        specs = [Spec("Step", "choice", open_steps[0], [(s.label, s) for s in open_steps]),
                 Spec("Done on", "date", self.ctx.as_of()), Spec("Note", "text", placeholder="optional")]

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            step, on, note = ChecklistStep.of(x["Step"]), x["Done on"], x["Note"]
            return lambda svc: svc.checklist.record(vid, step, on, note)
        return self._open_step(FieldsDialog(self.ctx, f"Record a step — {self.view.case_reference}", "", specs,
                                            submit, self._hold_done, lambda: self.reload(keep_edits=True), self.as_widget()))

    def publish_over_checklist(self) -> FieldsDialog:
        """An administrator records publication with steps open, saying why (returned for tests)."""
        vid = self.view.id
        left = "; ".join(v.step.label for v in (self.checklist.open_before_publication if self.checklist else []))
        specs = [Spec("Publication date", "date", self.ctx.as_of()),
                 Spec("Reason", "text", placeholder="why it is published before these steps are done")]

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            version, on, why = self.view.version, x["Publication date"], x["Reason"]
            return lambda svc: svc.reviews.record_publication_over_checklist(vid, version, on, why)
        return self._open_step(FieldsDialog(self.ctx, f"Publish with steps open — {self.view.case_reference}",
                                            f"Still open: {left}. The reason is kept in the audit log.", specs,
                                            submit, self._action_done, lambda: self.reload(keep_edits=True), self.as_widget()))

    def _panel_row(self) -> QHBoxLayout:
        """Whether the Panel should be told of a delay, and the buttons that write the notice and record it."""
        self.panel_label = QLabel(self.as_widget())
        self.panel_label.setWordWrap(True)
        self.panel_label.setAccessibleName("Notice to the Panel")
        self.notice_button = QPushButton("Notice to the Panel…", self.as_widget())
        self.notice_button.setToolTip("Write a letter and an e-mail draft telling the National Panel of the delay "
                                      "(nothing is sent by the program)")
        self.told_button = self.ctx.writes(QPushButton("Record Panel told…", self.as_widget()))
        self.notice_button.clicked.connect(self.write_notice)
        self.told_button.clicked.connect(self.record_told)
        self.notice_files: Any = None
        self.view_panel_told: dt.date | None = None
        row = QHBoxLayout()
        row.addWidget(self.panel_label, 1)
        row.addWidget(self.notice_button)
        row.addWidget(self.told_button)
        return row

    def _panel_read(self, got: tuple[str, dt.date | None]) -> None:
        self.view_panel_told = got[1]
        self._show_panel(got[0])

    def _show_panel(self, why: str) -> None:
        told = self.view_panel_told
        parts = []
        if why:
            parts.append(f"<b>Tell the Panel:</b> {why}.")
        if told:
            parts.append(f"The Panel was told of the delay on {uk(told)}.")
        self.panel_label.setText(" ".join(parts) or "The Panel need not be told of any delay.")
        target = self.view.kind in PUBLICATION_TARGET_KINDS and self.view.publication_date is None
        for b in (self.notice_button, self.told_button):
            b.setVisible(target)

    def write_notice(self) -> None:
        """Write the notice to the Panel into the notices folder, in the background, and open the folder."""
        from bscp_desktop.util.paths import data_dir

        vid, folder = self.view.id, data_dir() / "notices"

        def done(files: Any) -> None:
            self.notice_files = files
            open_file(files.folder)
        self.ctx.ops.query(self.as_widget(), lambda svc: svc.panel_notices.write(vid, folder), done)

    def record_told(self) -> FieldsDialog:
        """Record when the Panel was told, and why publication is late (returned for tests)."""
        vid = self.view.id
        specs = [Spec("Told on", "date", self.ctx.as_of()),
                 Spec("Reason for the delay", "text", placeholder="besides any hold: why publication is late")]

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            version, on, why = self.view.version, x["Told on"], x["Reason for the delay"]
            return lambda svc: svc.panel_notices.record_told(vid, version, on, why)
        return self._open_step(FieldsDialog(self.ctx, f"Panel told — {self.view.case_reference}",
                                            "The reason is shown beside the delay in the status and annual reports.",
                                            specs, submit, self._hold_done, lambda: self.reload(keep_edits=True),
                                            self.as_widget()))

    def _show_holds(self, holds: list[PublicationHoldView]) -> None:
        self.holds = holds
        lines = []
        for h in holds:
            expected = f", expected to end {uk(h.expected_end)}" if h.expected_end else ""
            if h.active and h.expected_end and h.expected_end < self.ctx.as_of():
                expected += " <b>(passed: check the hold is still needed)</b>"
            state = (f"<b>in force</b>{expected}" if h.active else f"lifted {uk(h.lifted)} ({counted(h.days or 0, 'day')} "
                     "added to the target)")
            why = f" — {h.reason}" if h.reason else ""
            lines.append(f"{h.kind.label} from {uk(h.started)}: {state}{why}")
        self.holds_label.setText("Publication holds: none." if not lines else
                                 "Publication holds:<br>" + "<br>".join(lines))
        v = self.view
        holdable = v.kind in PUBLICATION_TARGET_KINDS and v.status not in (
            ReviewStatus.PUBLISHED, ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED)
        self.hold_button.setEnabled(holdable)
        self.lift_button.setEnabled(any(h.active for h in holds))

    def start_hold(self) -> FieldsDialog:
        """Ask for a hold's kind, start, expected end and reason (returned for tests)."""
        vid, today = self.view.id, self.ctx.as_of()
        specs = [Spec("Kind", "choice", PublicationHoldKind.CRIMINAL, [(k.label, k) for k in PublicationHoldKind]),
                 Spec("Started on", "date", today), Spec("Expected end", "date"),
                 Spec("Reason", "text", placeholder="which proceedings, and what the partners agreed")]

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            version = self.view.version
            data = PublicationHoldInput(PublicationHoldKind.of(x["Kind"]), x["Started on"], x["Expected end"], x["Reason"])
            return lambda svc: svc.publication_holds.add(vid, version, data)
        return self._open_step(FieldsDialog(
            self.ctx, f"Hold publication — {self.view.case_reference}",
            "While the hold is in force the publication clock reads On hold, not overdue. When it is lifted the "
            "six-month target moves on by the calendar days held (from the day it started up to the day it is "
            "lifted).", specs, submit, self._hold_done, lambda: self.reload(keep_edits=True), self.as_widget()))

    def lift_hold(self) -> FieldsDialog | None:
        """Ask which hold in force is lifted, and when (returned for tests)."""
        active = [h for h in self.holds if h.active]
        if not active:
            return None
        specs = [Spec("Hold", "choice", active[0].id, [(f"{h.kind.label} from {uk(h.started)}", h.id) for h in active]),
                 Spec("Lifted on", "date", self.ctx.as_of())]

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            chosen = next(h for h in active if h.id == x["Hold"])
            lifted = x["Lifted on"]
            return lambda svc: svc.publication_holds.lift(chosen.id, chosen.version, lifted)
        return self._open_step(FieldsDialog(self.ctx, f"Lift hold — {self.view.case_reference}",
                                            "The target moves on by the calendar days the review was held.", specs,
                                            submit, self._hold_done, lambda: self.reload(keep_edits=True), self.as_widget()))

    def _open_step(self, dlg: FieldsDialog) -> FieldsDialog:
        self.step_dialog = dlg
        dlg.open()
        return dlg

    def _hold_done(self, _op: Op[Any]) -> None:
        self.reload(keep_edits=True)
