"""The review form: details (with live publication-target and advance-copy dates), the publication lifecycle,
a button for each action that applies, the incidents covered and the timeline of clocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.rules import due_date
from bscp_desktop.domain.vocab import (
    ACTION_DONE,
    PUBLICATION_TARGET_KINDS,
    REVIEW_KINDS,
    CatalogueStatus,
    ReviewStatus,
)
from bscp_desktop.services import Op, Services
from bscp_desktop.services.catalogue.catalogue import publication_status
from bscp_desktop.services.partnership.clocks import ClockView
from bscp_desktop.services.reviews.reviews import ReviewInput, ReviewView
from bscp_desktop.ui.forms.base import RecordForm
from bscp_desktop.ui.forms.fields import add_field, form_group
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.forms.review_publication import ReviewPublicationParts
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import clear_layout, fit_on_screen, forewarning, heading, hint
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.util.dates import uk, uk_long
from bscp_desktop.util.words import counted

ACTION_LABELS = {
    "final-report": "Record final report…", "advance-copy": "Record advance copy…", "publish": "Record publication…",
    "not-published": "Not to be published…", "take-down": "Record removal from website…",
}


class ReviewForm(ReviewPublicationParts, RecordForm):
    """An existing review (reviews are commissioned from an incident's form)."""

    themes_entity = "review"

    open_incident = Signal(int)
    show_actions = Signal(int)

    def __init__(self, ctx: AppContext, view: ReviewView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view = view
        self.step_dialog: FieldsDialog | None = None
        self.clocks: list[ClockView] = []  # the review's clocks as last read (the timeline's)
        self._build()
        fit_on_screen(self, 1180, 720)
        self.show_view(view)
        self.mark_clean()

    def _build(self) -> None:
        self.title_label = heading("", self)
        self.status = QLabel(self)
        f = QFormLayout()
        f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = QComboBox(self)
        for k, label in REVIEW_KINDS.items():
            self.kind.addItem(label, k)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("such as BSCP2025-26/03")
        self.title_edit = QLineEdit(self)
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(self.summary.fontMetrics().height() * 6 + 12)
        self.decision = DateField("Decision date", self, required=True)
        self.target = hint("", self)
        self.reviewer = QLineEdit(self)
        self.planned = DateField("Planned publication", self)
        self.advance_due = hint("", self)
        self.repository = QLineEdit(self)
        self.repository.setPlaceholderText("https://… (National Case Review Repository entry)")
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().height() * 4 + 12)
        for label, w, below in (("Kind", self.kind, None), ("Case reference", self.reference, None),
                                ("Title", self.title_edit, None), ("Summary", self.summary, None),
                                ("Decision date", self.decision, self.target), ("Reviewer", self.reviewer, None),
                                ("Planned publication", self.planned, self.advance_due),
                                ("National repository link", self.repository, None), ("Notes", self.notes, None)):
            add_field(f, self.fields, label, w, below)
        details = form_group("Details", f, self)
        self.lay_out(self.title_label, self.status, details, self._publication_box(),
                     "No clocks: a review's clocks start at the decision to undertake it, its planned publication "
                     "date and its publication date — none is recorded.")
        self.decision.changed.connect(self._preview)
        self.planned.changed.connect(self._preview)
        self.kind.currentIndexChanged.connect(lambda _i: self._preview())

    def _publication_box(self) -> QGroupBox:
        """The publication so far, its actions, holds, checklist, the Panel's notice, the incidents it covers and
        its learning."""
        self.facts = QFormLayout()
        box = QGroupBox("Publication", self)
        bl = QVBoxLayout(box)
        bl.addLayout(self.facts)
        self.actions_row = QHBoxLayout()
        self.incidents_row = QHBoxLayout()
        bl.addLayout(self.actions_row)
        self.action_note = forewarning(self, "Before recording publication")
        bl.addWidget(self.action_note)
        bl.addLayout(self._holds_row())
        bl.addLayout(self._checklist_row())
        bl.addLayout(self._panel_row())
        bl.addLayout(self.incidents_row)
        self.learning = QLabel(self)
        self.learning.setWordWrap(True)
        self.learning.setAccessibleName("Recommendations and actions")
        self.learning_button = QPushButton("Recommendations and actions…", self)
        self.learning_button.clicked.connect(lambda: self.show_actions.emit(self.view.id))
        learning_row = QHBoxLayout()
        learning_row.addWidget(self.learning, 1)
        learning_row.addWidget(self.learning_button)
        bl.addLayout(learning_row)
        return box

    def case_reference(self) -> str:
        return (self.view.case_reference or "") if self.view is not None else ""

    def show_view(self, view: ReviewView) -> None:
        self.view = view
        self.setWindowTitle(f"Review {view.case_reference}")
        self.title_label.setText(f"{view.case_reference} — {view.kind_label}")
        archive = ""
        if view.status == ReviewStatus.PUBLISHED and view.publication_date is None:
            archive = " · publication date not recorded"
        if view.publication_date:
            status, when = publication_status(view.publication_date, self.ctx.as_of(),
                                              self.ctx.settings.amount("archive"))
            archive = f" · {'archived' if status == CatalogueStatus.ARCHIVED else 'archive date'} {uk(when)}"
        self.status.setText(f"Status: <b>{view.status_label}</b>{archive}")
        self.kind.setCurrentIndex(max(0, self.kind.findData(view.kind)))
        self.reference.setText(view.case_reference)
        self.title_edit.setText(view.title)
        self.summary.setPlainText(view.summary)
        self.decision.set_value(view.decision_date)
        self.reviewer.setText(view.reviewer)
        self.planned.set_value(view.planned_publication_date)
        self.repository.setText(view.national_repository_url)
        self.notes.setPlainText(view.notes)
        self._show_publication(view)
        self._preview()
        self.show_themes()
        vid, as_of = view.id, self.ctx.as_of()
        self.ctx.ops.query(self, lambda svc: svc.actions.recommendations(vid), self._show_learning, key="learning")
        self.ctx.ops.query(self, lambda svc: svc.publication_holds.for_review(vid), self._show_holds, key="holds")
        self.ctx.ops.query(self, lambda svc: svc.checklist.for_review(vid), self._show_checklist, key="checklist")
        self.ctx.ops.query(self, lambda svc: (svc.panel_notices.due(vid), svc.panel_notices.told_on(vid)),
                           self._panel_read, key="panel")
        self.ctx.ops.query(self, lambda svc: svc.clocks.for_review(vid, as_of), self._show_clocks, key="clocks")

    def _show_clocks(self, clocks: list[ClockView]) -> None:
        """The timeline, and the publication target as its clock has it (moved on by any hold)."""
        self.timeline.set_clocks(clocks)
        self.clocks = clocks
        self._preview()

    def _show_publication(self, view: ReviewView) -> None:
        """The publication's dates, why it was not published, the actions that apply now and the incidents the
        review covers."""
        while self.facts.rowCount():
            self.facts.removeRow(0)
        for label, value in (("Final report received", uk(view.final_report_date, "—")),
                             ("Advance copy sent", uk(view.advance_copy_date, "—")),
                             ("Published", uk(view.publication_date, "—")),
                             ("Removed from website", uk(view.website_removed_date, "—"))):
            self.facts.addRow(f"{label}:", QLabel(value, self))
        if view.unpublished_reason:
            lab = QLabel(view.unpublished_reason, self)
            lab.setWordWrap(True)
            self.facts.addRow("Not published because:", lab)
        for lay in (self.actions_row, self.incidents_row):
            clear_layout(lay)
        for act in view.available_actions():
            b = self.ctx.writes(QPushButton(ACTION_LABELS[act], self))
            b.setObjectName(f"action-{act}")
            b.setAccessibleName(ACTION_LABELS[act].rstrip("…"))
            b.clicked.connect(lambda _c=False, a=act: self.start_action(a))
            self.actions_row.addWidget(b)
        self.actions_row.addStretch(1)
        if view.incidents:
            self.incidents_row.addWidget(QLabel("Covers:", self))
        for link in view.incidents:
            b = QPushButton(f"{link.local_ref} ({link.pseudonym})", self)
            b.setToolTip("Open the incident")
            b.clicked.connect(lambda _c=False, iid=link.id: self.open_incident.emit(iid))
            self.incidents_row.addWidget(b)
        self.incidents_row.addStretch(1)

    def _show_learning(self, recs: list[Any]) -> None:
        actions = [a for r in recs for a in r.actions]
        open_ = [a for a in actions if a.status not in ACTION_DONE]
        overdue = [a for a in actions if a.overdue]
        self.learning.setText("No recommendations recorded yet." if not recs else
                              f"{counted(len(recs), 'recommendation')}; {counted(len(actions), 'agency action')}, "
                              f"{len(open_)} open, {len(overdue)} overdue.")

    def _preview(self, *_a: Any) -> None:
        """Under the dates: the publication target and the advance copy's last day. For the decision as saved,
        the target is the review's own clock (moved on by any hold, in the timeline's words); for a decision
        being typed, six months from it."""
        cal, s = self.ctx.calendar, self.ctx.settings
        d, p = self.decision.value(), self.planned.value()
        saved = next((c for c in self.clocks if c.rule_id == "lcspr-publication"), None)
        if saved is not None and d == saved.start:
            target = f"Publication target: {uk_long(saved.due)} — {saved.state}"
        else:
            due = due_date("lcspr-publication", d, cal, s.amount("lcspr-publication")) if d else None
            target = f"Publication target (six months): {uk_long(due)}" if due else ""
        self.target.setText(target if d and self.kind.currentData() in PUBLICATION_TARGET_KINDS else "")
        self.advance_due.setText(
            f"Advance copy to the Panel and the Secretary of State by {uk_long(due_date('advance-copy', p, cal, s.amount('advance-copy')))}"
            if p else "")
        self.target.setVisible(bool(self.target.text()))
        self.advance_due.setVisible(bool(self.advance_due.text()))

    def data(self) -> ReviewInput:
        """What the form holds, as the service takes it."""
        return ReviewInput(self.kind.currentData(), self.title_edit.text(), self.decision.value(),
                           self.reference.text(), self.summary.toPlainText(), self.reviewer.text(),
                           self.planned.value(), self.repository.text(), self.notes.toPlainText())

    def submit(self) -> Callable[[Services], Op[Any]]:
        data, vid, version = self.data(), self.view.id, self.view.version
        return lambda svc: svc.reviews.update(vid, version, data)

    def reload_view(self) -> Callable[[Services], ReviewView]:
        vid = self.view.id
        return lambda svc: svc.reviews.get(vid)

    def start_action(self, action: str) -> FieldsDialog:
        """Open the dialog for a publication action (returned for tests)."""
        v, today = self.view, self.ctx.as_of()
        vid = v.id

        def at_version(record: Callable[[Services, int, Any], Op[Any]], label: str) -> Callable[
                [dict[str, Any]], Callable[[Services], Op[Any]]]:
            """The service call for a step, with the version saved when Record is pressed (after any reload)."""
            def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
                version, value = self.view.version, x[label]
                return lambda svc: record(svc, version, value)
            return submit

        table: dict[str, tuple[str, str, list[Spec], Callable[[dict[str, Any]], Callable[[Services], Op[Any]]]]] = {
            "final-report": ("Record final report", "The date the final report was received.",
                             [Spec("Final report received", "date", today)],
                             at_version(lambda svc, ver, d: svc.reviews.record_final_report(vid, ver, d),
                                        "Final report received")),
            "advance-copy": ("Record advance copy", "The date the advance copy went to the National Panel and the "
                             "Secretary of State (at least seven working days before publication).",
                             [Spec("Advance copy sent", "date", today)],
                             at_version(lambda svc, ver, d: svc.reviews.record_advance_copy(vid, ver, d),
                                        "Advance copy sent")),
            "publish": ("Record publication", "Publication meets the publication target and starts the three-year "
                        "archive clock.", [Spec("Publication date", "date", today, preview=self._archive_preview)],
                        at_version(lambda svc, ver, d: svc.reviews.record_publication(vid, ver, d),
                                   "Publication date")),
            "not-published": ("Not to be published", "Record a decision not to publish this review.",
                              [Spec("Reason", "text", "")],
                              at_version(lambda svc, ver, why: svc.reviews.record_not_published(vid, ver, why),
                                         "Reason")),
            "take-down": ("Record removal from website", "The report is archived: off the website, available on "
                          "request.", [Spec("Removed from the website", "date", today)],
                          at_version(lambda svc, ver, d: svc.reviews.record_take_down(vid, ver, d),
                                     "Removed from the website")),
        }
        title, intro, specs, submit = table[action]
        dlg = FieldsDialog(self.ctx, f"{title} — {v.case_reference}", intro, specs, submit, self._action_done,
                           lambda: self.reload(keep_edits=True, after_conflict=True), self)
        self.step_dialog = dlg
        dlg.open()
        return dlg

    def _archive_preview(self, d: Any) -> str:
        if not isinstance(d, dt.date):
            return ""
        s = self.ctx.settings
        return f"Comes off the website on {uk_long(due_date('archive', d, self.ctx.calendar, s.amount('archive')))}"

    def _action_done(self, op: Op[Any]) -> None:
        self._reloaded(op.value, keep_edits=True)
