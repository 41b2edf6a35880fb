"""The incident form: details with inline validation and a live notification due date; the children the
notification covers; the lifecycle so far with the Rapid Review's agency returns and sign-off; a button for
each action that applies now; and the timeline of every clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.notification import child_warnings, is_adult, notification_warnings, rapid_review_note
from bscp_desktop.domain.rules import due_date
from bscp_desktop.domain.vocab import (
    CATEGORIES,
    DECISIONS,
    NotificationReason,
    PanelReply,
    Partner,
    Role,
)
from bscp_desktop.services import Op, Services
from bscp_desktop.services.incidents.children import children_label
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.views import IncidentView
from bscp_desktop.ui.forms.base import RecordForm
from bscp_desktop.ui.forms.children_box import ChildrenBox
from bscp_desktop.ui.forms.fields import add_field, align_label_columns, form_group
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog
from bscp_desktop.ui.forms.incident_steps import ACTION_LABELS, IncidentSteps
from bscp_desktop.ui.forms.panel_box import PanelDetailsBox
from bscp_desktop.ui.forms.proceedings_box import ProceedingsBox
from bscp_desktop.ui.forms.rapid_review_box import RapidReviewBox
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import clear_layout, fit_on_screen, forewarning, heading, hint, warn
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.util.dates import uk, uk_long


class IncidentForm(IncidentSteps, RecordForm):
    """A new incident (``view`` None) or an existing one."""

    themes_entity = "incident"

    open_review = Signal(int)
    case_document = Signal(str, str)  # report kind, the incident's reference: shown on the Reports page

    def __init__(self, ctx: AppContext, view: IncidentView | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view = view
        self.step_dialog: FieldsDialog | None = None
        self._build()
        fit_on_screen(self, 1180, 720)
        if view is not None:
            self.show_view(view)
        else:
            self.setWindowTitle("New incident")
            self.title.setText("New incident")
            self.local_authority.setText(ctx.settings.local_authority)
            self.panel_box.show_details(ctx.settings.notifier)  # the partnership's notifier, to change if need be
            self._show_lifecycle(None)
            self.show_themes()
        self.mark_clean()

    # -- layout -----------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = heading("", self)
        self.stage = QLabel(self)
        self.stage.setAccessibleName("Stage")
        f = QFormLayout()
        f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.children_box = ChildrenBox(self)
        self._build_reason()
        cats = self._build_categories()
        self.incident_date = DateField("Incident date", self)
        self.became_aware = DateField("Became aware", self, required=True)
        self.notification_due = hint("", self)
        self.notification_due.setAccessibleName("Notification due")
        self.local_authority = QLineEdit(self)
        self.lead_officer = QLineEdit(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().height() * 4 + 12)
        for label, w, below in (("Children", self.children_box, None), ("Notification reason", self.reason, None),
                                ("Abuse or neglect suspected", self.suspected, self.reason_note),
                                ("Categories of abuse", cats, None),
                                ("Incident date", self.incident_date, None),
                                ("Became aware", self.became_aware, self.notification_due),
                                ("Local authority", self.local_authority, None),
                                ("Lead officer", self.lead_officer, None), ("Notes", self.notes, None)):
            add_field(f, self.fields, label, w, below)
        details = form_group("Details", f, self)
        self.panel_box = PanelDetailsBox(self.fields, self)
        align_label_columns(f, self.panel_box.form)
        left = QWidget(self)  # the details, then the Rapid Review being gathered: the column scrolls
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(details)
        ll.addWidget(self.panel_box)
        self._add_case_boxes(ll)
        ll.addStretch(1)
        self.lay_out(self.title, self.stage, left, self._lifecycle_box(), "No clocks yet.")
        self.became_aware.changed.connect(self._preview_due)
        self.became_aware.changed.connect(lambda _d: self._preview_reason())
        self.children_box.changed.connect(self._preview_reason)

    def _build_reason(self) -> None:
        """The notification reason and the suspicion of abuse or neglect, with the note of what they mean for
        the Rapid Review (and any warning) under them."""
        self.reason = QComboBox(self)
        for r in NotificationReason:
            self.reason.addItem(r.label, r.value)
        # The longest reason would otherwise set the whole column's width.
        self.reason.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reason.setMinimumContentsLength(24)
        self.suspected = QCheckBox("Known or suspected", self)
        self.suspected.setChecked(True)
        self.reason_note = hint("", self)
        self.reason_note.setAccessibleName("Rapid Review note")
        self.reason.currentIndexChanged.connect(lambda _i: self._preview_reason())
        self.suspected.toggled.connect(lambda _b: self._preview_reason())

    def _build_categories(self) -> QWidget:
        """The categories of abuse, two to a row."""
        self.categories = {k: QCheckBox(label, self) for k, label in CATEGORIES.items()}
        cats = QWidget(self)
        cl = QGridLayout(cats)
        cl.setContentsMargins(0, 0, 0, 0)
        for i, cb in enumerate(self.categories.values()):
            cl.addWidget(cb, i // 2, i % 2)
        cats.setAccessibleName("Categories of abuse")
        return cats

    def _add_case_boxes(self, column: QVBoxLayout) -> None:
        """The Rapid Review being gathered and the parallel proceedings, under the details."""
        self.rapid_review_box = RapidReviewBox(self.ctx, self)
        self.rapid_review_box.done.connect(lambda op: self._action_done(op))
        column.addWidget(self.rapid_review_box)
        self.proceedings_box = ProceedingsBox(self.ctx, self)
        self.proceedings_box.done.connect(lambda op: self._action_done(op))
        column.addWidget(self.proceedings_box)

    def _lifecycle_box(self) -> QGroupBox:
        """The lifecycle so far, its action buttons, the reviews, the documents to send and the Rapid Review."""
        self.facts = QFormLayout()
        self.facts_box = QGroupBox("Lifecycle", self)
        fb = QVBoxLayout(self.facts_box)
        fb.addLayout(self.facts)
        self.actions_row = QHBoxLayout()
        fb.addLayout(self.actions_row)
        self.action_note = forewarning(self, "Before recording the Rapid Review sent")
        fb.addWidget(self.action_note)
        self.reviews_row = QHBoxLayout()
        fb.addLayout(self.reviews_row)
        documents = QHBoxLayout()
        self.notification_button = QPushButton("Notification sheet…", self)
        self.notification_button.setToolTip("What the Panel's online notification form asks, filled from this "
                                            "record, to copy from")
        self.rapid_review_button = QPushButton("Rapid Review report…", self)
        self.rapid_review_button.setToolTip("The Rapid Review report for the Panel, to preview, print, or save as "
                                            "Word to edit before sending")
        self.notification_button.clicked.connect(lambda: self.show_document("notification"))
        self.rapid_review_button.clicked.connect(lambda: self.show_document("rapid-review"))
        for b in (self.notification_button, self.rapid_review_button):
            b.setEnabled(False)
            documents.addWidget(b)
        documents.addStretch(1)
        fb.addLayout(documents)
        return self.facts_box

    # -- showing ----------------------------------------------------------------------------------------
    def case_reference(self) -> str:
        return self.view.local_ref if self.view is not None else ""

    def show_view(self, view: IncidentView) -> None:
        self.view = view
        self.setWindowTitle(f"Incident {view.local_ref}")
        self.title.setText(f"{view.local_ref} — {children_label(view.pseudonym, len(view.children))}")
        self.stage.setText(f"Stage: <b>{view.stage_label}</b>")
        self.notification_button.setEnabled(True)
        self.rapid_review_button.setEnabled(view.rapid_review_required)
        self.children_box.set_children([c.as_input() for c in view.children])
        self.reason.setCurrentIndex(max(0, self.reason.findData(view.notification_reason)))
        self.suspected.setChecked(view.abuse_suspected)
        self._preview_reason()
        for k, cb in self.categories.items():
            cb.setChecked(k in view.categories)
        self.incident_date.set_value(view.incident_date)
        self.became_aware.set_value(view.became_aware)
        self.local_authority.setText(view.local_authority)
        self.lead_officer.setText(view.lead_officer)
        self.notes.setPlainText(view.notes)
        self.panel_box.show_details(view.panel)
        self.proceedings_box.show_incident(view)
        self._show_lifecycle(view)
        self.show_themes()
        as_of, vid = self.ctx.as_of(), view.id
        self.ctx.ops.query(self, lambda svc: (svc.clocks.for_incident(vid, as_of), svc.reference_lists.agencies(),
                                              svc.rapid_reviews.returns(view, as_of)),
                           self._clocks_loaded, key="clocks")

    def show_document(self, kind: str) -> None:
        """Ask the main window for this incident's notification sheet or Rapid Review report (as saved)."""
        if self.view is None:
            return
        if self.is_dirty() and not errors.ask(
                self, "Unsaved changes", "The document shows this incident as saved, without the changes made in "
                "this form. Show it anyway?"):
            return
        self.case_document.emit(kind, self.view.local_ref)

    def _clocks_loaded(self, got: tuple[list[Any], list[Any], list[Any]]) -> None:
        clocks, self.agencies, returns = got
        self.timeline.set_clocks(clocks)
        if self.view is not None:
            self.rapid_review_box.show_incident(self.view, returns, self.agencies)

    def _preview_reason(self) -> None:
        chosen = self.view.rapid_review_chosen if self.view is not None else False
        self.suspected.setEnabled(self.reason.currentData() != NotificationReason.SERIOUS_INCIDENT
                                  or not self.suspected.isChecked())
        reason = self.reason.currentData()
        adult = is_adult(c.age_band for c in self.children_box.child_inputs())
        rr = self.view.rapid_review if self.view is not None else None
        lines = [rapid_review_note(reason, self.suspected.isChecked(), chosen, adult),  # warned, never refused:
                 *notification_warnings(reason, self.became_aware.value()),
                 *child_warnings(self.children_box.child_inputs(), len(rr.returns) if rr is not None else 0)]
        self.reason_note.setText("\n".join(line for line in lines if line))
        self.reason_note.setVisible(bool(self.reason_note.text()))

    def _show_lifecycle(self, v: IncidentView | None) -> None:
        while self.facts.rowCount():
            self.facts.removeRow(0)
        for lay in (self.actions_row, self.reviews_row):
            clear_layout(lay)
        if v is None:
            self.facts.addRow(hint("Save the incident to record the notification to the Panel and the steps that "
                                   "follow. The notification clock starts at the date the local authority became "
                                   "aware.", self))
            return
        rr = v.rapid_review
        rows = [
            ("Notified to the Panel", uk(v.notified_date, "not yet") + (f" (Panel ref. {v.panel_reference})"
                                                                         if v.panel_reference else "")),
            ("Rapid Review", (rapid_review_note(v.notification_reason, v.abuse_suspected, False,
                                                is_adult(c.age_band for c in v.children))
                              if not v.rapid_review_required else "not yet sent")
             if rr is None or rr.sent_date is None else
             f"met {uk(rr.meeting_date, '—')}, sent {uk(rr.sent_date)}"
             + (f" without the partners' sign-off: {rr.sent_without_sign_off}" if rr.sent_without_sign_off else "")),
            ("Decision", "—" if rr is None or not rr.decision else
             f"{DECISIONS[rr.decision]} ({uk(rr.decision_date)})" + (f": {rr.decision_reasons}" if rr.decision_reasons else "")),
            ("Panel response", "—" if rr is None or rr.panel_response_date is None else
             f"{uk(rr.panel_response_date)}: "
             + (f"{PanelReply.of(rr.panel_reply).label}. " if rr.panel_reply else "") + rr.panel_view),
        ]
        if v.closed_date:
            rows.append(("Closed", f"{uk(v.closed_date)}: {v.closed_reason}"))
        for label, text in rows:
            lab = QLabel(text, self)
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(f"{label}:", lab)
        acts = v.available_actions()
        if "rapid-review" in acts and (rr is None or rr.partners_to_agree):
            acts.insert(acts.index("rapid-review") + 1, "send-without-sign-off")
        for act in acts:
            needs = Role.ADMIN if act == "send-without-sign-off" else Role.EDITOR
            b = self.ctx.writes(QPushButton(ACTION_LABELS[act], self), needs=needs)
            b.setObjectName(f"action-{act}")
            b.setAccessibleName(ACTION_LABELS[act].rstrip("…"))
            b.clicked.connect(lambda _c=False, a=act: self.start_action(a))
            self.actions_row.addWidget(b)
        self.actions_row.addStretch(1)
        self._forewarn_sending(v, acts)
        for link in v.reviews:
            b = QPushButton(f"Open review {link.case_reference}", self)
            b.clicked.connect(lambda _c=False, rid=link.id: self.open_review.emit(rid))
            self.reviews_row.addWidget(b)
        self.reviews_row.addStretch(1)

    def _forewarn_sending(self, v: IncidentView, acts: list[str]) -> None:
        """Say beside Record Rapid Review sent… that it will be refused while a partner has not agreed."""
        rr = v.rapid_review
        waiting = rr.partners_to_agree if rr is not None else tuple(Partner)
        button = self.findChild(QPushButton, "action-rapid-review")
        if "rapid-review" not in acts or not waiting:
            warn(self.action_note, button, "")
            return
        who = ", ".join(p.label for p in waiting)
        warn(self.action_note, button,
             f"Record Rapid Review sent… will be refused until the three safeguarding partners have agreed the "
             f"Rapid Review. Still to agree: {who}. Record each agreement under Rapid Review below; an "
             "administrator may send it without sign-off, saying why.")

    def _preview_due(self, d: dt.date | None) -> None:
        self.notification_due.setVisible(d is not None)
        if d is None:
            self.notification_due.setText("")
            return
        n = self.ctx.settings.amount("notification")
        due = due_date("notification", d, self.ctx.calendar, n)
        self.notification_due.setText(f"Notification to the Panel due by {uk_long(due)} ({n} working days)")

    # -- saving -----------------------------------------------------------------------------------------
    def data(self) -> IncidentInput:
        """What the form holds, as the service takes it."""
        return IncidentInput(
            became_aware=self.became_aware.value(), incident_date=self.incident_date.value(),
            categories=tuple(k for k, cb in self.categories.items() if cb.isChecked()),
            local_authority=self.local_authority.text(), lead_officer=self.lead_officer.text(),
            notes=self.notes.toPlainText(), children=self.children_box.child_inputs(),
            notification_reason=self.reason.currentData(), abuse_suspected=self.suspected.isChecked(),
            rapid_review_chosen=self.view.rapid_review_chosen if self.view is not None else False,
            panel=self.panel_box.details())

    def extra_snapshot(self) -> dict[str, Any]:
        return {"categories": tuple(k for k, cb in self.categories.items() if cb.isChecked()),
                "children": self.children_box.child_inputs(), "suspected": self.suspected.isChecked()}

    def apply_extra(self, key: str, value: Any) -> None:
        if key == "categories":
            for k, cb in self.categories.items():
                cb.setChecked(k in value)
        elif key == "children":
            self.children_box.set_children(value)
        elif key == "suspected":
            self.suspected.setChecked(value)

    def submit(self) -> Callable[[Services], Op[Any]]:
        data = self.data()
        if self.view is None:
            return lambda svc: svc.incidents.register(data)
        vid, version = self.view.id, self.view.version
        return lambda svc: svc.incidents.update(vid, version, data)

    def reload_view(self) -> Callable[[Services], IncidentView]:
        assert self.view is not None
        vid = self.view.id
        return lambda svc: svc.incidents.get(vid)

    # -- lifecycle actions ------------------------------------------------------------------------------
    agencies: list[Any] = []  # noqa: RUF012 - the agencies in use, read with the clocks; replaced, never changed

    def _action_done(self, op: Op[Any]) -> None:
        if isinstance(op.value, IncidentView):
            self._reloaded(op.value, keep_edits=True)
        else:  # a review was commissioned: show the incident's new state
            self.reload(keep_edits=True)
