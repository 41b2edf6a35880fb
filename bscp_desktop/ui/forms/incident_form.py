"""The incident form: details with inline validation and a live notification due date; the lifecycle so far;
a button for each action that applies now; and the timeline of every clock."""

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

from bscp_desktop.dates import uk, uk_long
from bscp_desktop.rules import due_date
from bscp_desktop.services import Op, Services
from bscp_desktop.services.incidents import IncidentInput, IncidentView
from bscp_desktop.services.reviews import ReviewInput
from bscp_desktop.ui.context import AppContext
from bscp_desktop.ui.forms.base import RecordForm, add_field, form_group
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.widgets.common import clear_layout, heading, hint
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.vocab import AGE_BANDS, CATEGORIES, DECISIONS, HARMS, REVIEW_KINDS, SEXES, Decision, ReviewKind

ETHNICITIES = ("White British", "White Other", "Asian or Asian British – Pakistani", "Asian or Asian British – Indian",
               "Asian or Asian British – Bangladeshi", "Black or Black British – Caribbean",
               "Black or Black British – African", "Mixed – White and Black Caribbean", "Other ethnic group",
               "Not known")

# A lifecycle step's dialog: title, introduction, fields, and the service call made from the fields' values.
Step = tuple[str, str, list[Spec], Callable[[dict[str, Any]], Callable[[Services], Op[Any]]]]

ACTION_LABELS = {
    "notify": "Record notification…", "rapid-review": "Record Rapid Review…", "decision": "Record decision…",
    "panel-response": "Record Panel response…", "commission": "Commission review…", "close": "Close case…",
}


class IncidentForm(RecordForm):
    """A new incident (``view`` None) or an existing one."""

    themes_entity = "incident"

    open_review = Signal(int)

    def __init__(self, ctx: AppContext, view: IncidentView | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view = view
        self.resize(1180, 720)
        self.step_dialog: FieldsDialog | None = None
        self._build()
        if view is not None:
            self.show_view(view)
        else:
            self.setWindowTitle("New incident")
            self.title.setText("New incident")
            self.local_authority.setText(ctx.settings.local_authority)
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
        self.pseudonym = QLineEdit(self)
        self.pseudonym.setPlaceholderText("Child A — a pseudonym, never a real name")
        self.harm = QComboBox(self)
        for k, label in HARMS.items():
            self.harm.addItem(label, k)
        self.age_band = QComboBox(self)
        self.age_band.addItem("", "")
        for a in AGE_BANDS:
            self.age_band.addItem(a, a)
        self.sex = QComboBox(self)
        self.sex.addItem("", "")
        for s in SEXES:
            self.sex.addItem(s.capitalize(), s)
        self.ethnicity = QComboBox(self)
        self.ethnicity.setEditable(True)
        self.ethnicity.addItems(["", *ETHNICITIES])
        self.categories = {k: QCheckBox(label, self) for k, label in CATEGORIES.items()}
        cats = QWidget(self)
        cl = QGridLayout(cats)
        cl.setContentsMargins(0, 0, 0, 0)
        for i, cb in enumerate(self.categories.values()):
            cl.addWidget(cb, i // 2, i % 2)
        cats.setAccessibleName("Categories of abuse")
        self.incident_date = DateField("Incident date", self)
        self.became_aware = DateField("Became aware", self, required=True)
        self.notification_due = hint("", self)
        self.notification_due.setAccessibleName("Notification due")
        self.local_authority = QLineEdit(self)
        self.lead_officer = QLineEdit(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().height() * 4 + 12)
        for label, w, below in (("Pseudonym", self.pseudonym, None), ("Harm", self.harm, None),
                                ("Age band", self.age_band, None), ("Sex", self.sex, None),
                                ("Ethnicity", self.ethnicity, None), ("Categories of abuse", cats, None),
                                ("Incident date", self.incident_date, None),
                                ("Became aware", self.became_aware, self.notification_due),
                                ("Local authority", self.local_authority, None),
                                ("Lead officer", self.lead_officer, None), ("Notes", self.notes, None)):
            add_field(f, self.fields, label, w, below)
        details = form_group("Details", f, self)

        self.facts = QFormLayout()
        self.facts_box = QGroupBox("Lifecycle", self)
        fb = QVBoxLayout(self.facts_box)
        fb.addLayout(self.facts)
        self.actions_row = QHBoxLayout()
        fb.addLayout(self.actions_row)
        self.reviews_row = QHBoxLayout()
        fb.addLayout(self.reviews_row)
        self.lay_out(self.title, self.stage, details, self.facts_box, "No clocks yet.")
        self.became_aware.changed.connect(self._preview_due)
        self.setTabOrder(self.pseudonym, self.harm)

    # -- showing ----------------------------------------------------------------------------------------
    def case_reference(self) -> str:
        return self.view.local_ref if self.view is not None else ""

    def show_view(self, view: IncidentView) -> None:
        self.view = view
        self.setWindowTitle(f"Incident {view.local_ref}")
        self.title.setText(f"{view.local_ref} — {view.pseudonym}")
        self.stage.setText(f"Stage: <b>{view.stage_label}</b>")
        self.pseudonym.setText(view.pseudonym)
        self.harm.setCurrentIndex(max(0, self.harm.findData(view.harm)))
        self.age_band.setCurrentIndex(max(0, self.age_band.findData(view.age_band)))
        self.sex.setCurrentIndex(max(0, self.sex.findData(view.sex)))
        self.ethnicity.setCurrentText(view.ethnicity)
        for k, cb in self.categories.items():
            cb.setChecked(k in view.categories)
        self.incident_date.set_value(view.incident_date)
        self.became_aware.set_value(view.became_aware)
        self.local_authority.setText(view.local_authority)
        self.lead_officer.setText(view.lead_officer)
        self.notes.setPlainText(view.notes)
        self._show_lifecycle(view)
        self.show_themes()
        as_of, vid = self.ctx.as_of(), view.id
        self.ctx.ops.query(self, lambda svc: (svc.clocks.for_incident(vid, as_of), svc.reference_lists.agencies()),
                           self._clocks_loaded, key="clocks")

    def _clocks_loaded(self, got: tuple[list[Any], list[Any]]) -> None:
        clocks, self.agencies = got
        self.timeline.set_clocks(clocks)

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
            ("Rapid Review", "not yet recorded" if rr is None or rr.sent_date is None else
             f"met {uk(rr.meeting_date, '—')}, sent {uk(rr.sent_date)}"),
            ("Decision", "—" if rr is None or not rr.decision else
             f"{DECISIONS[rr.decision]} ({uk(rr.decision_date)})" + (f": {rr.decision_reasons}" if rr.decision_reasons else "")),
            ("Panel response", "—" if rr is None or rr.panel_response_date is None else
             f"{uk(rr.panel_response_date)}: {rr.panel_view}"),
        ]
        if v.closed_date:
            rows.append(("Closed", f"{uk(v.closed_date)}: {v.closed_reason}"))
        for label, text in rows:
            lab = QLabel(text, self)
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(f"{label}:", lab)
        for act in v.available_actions():
            b = self.ctx.writes(QPushButton(ACTION_LABELS[act], self))
            b.setObjectName(f"action-{act}")
            b.setAccessibleName(ACTION_LABELS[act].rstrip("…"))
            b.clicked.connect(lambda _c=False, a=act: self.start_action(a))
            self.actions_row.addWidget(b)
        self.actions_row.addStretch(1)
        for link in v.reviews:
            b = QPushButton(f"Open review {link.case_reference}", self)
            b.clicked.connect(lambda _c=False, rid=link.id: self.open_review.emit(rid))
            self.reviews_row.addWidget(b)
        self.reviews_row.addStretch(1)

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
            pseudonym=self.pseudonym.text(), harm=self.harm.currentData(), became_aware=self.became_aware.value(),
            incident_date=self.incident_date.value(), age_band=self.age_band.currentData() or "",
            sex=self.sex.currentData() or "", ethnicity=self.ethnicity.currentText(),
            categories=tuple(k for k, cb in self.categories.items() if cb.isChecked()),
            local_authority=self.local_authority.text(), lead_officer=self.lead_officer.text(),
            notes=self.notes.toPlainText())

    def extra_snapshot(self) -> dict[str, Any]:
        return {"categories": tuple(k for k, cb in self.categories.items() if cb.isChecked())}

    def apply_extra(self, key: str, value: Any) -> None:
        if key == "categories":
            for k, cb in self.categories.items():
                cb.setChecked(k in value)

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

    def start_action(self, action: str) -> FieldsDialog:
        """Open the dialog for a lifecycle action (returned for tests)."""
        assert self.view is not None
        steps: dict[str, Callable[[IncidentView], Step]] = {
            "notify": self._notify_step, "rapid-review": self._rapid_review_step, "decision": self._decision_step,
            "panel-response": self._panel_response_step, "commission": self._commission_step,
            "close": self._close_step,
        }
        title, intro, specs, submit = steps[action](self.view)
        dlg = FieldsDialog(self.ctx, f"{title} — {self.view.local_ref}", intro, specs, submit, self._action_done,
                           lambda: self.reload(keep_edits=True, after_conflict=True), self)
        self.step_dialog = dlg
        dlg.open()
        return dlg

    def _at_version(self, make: Callable[[int, dict[str, Any]], Callable[[Services], Op[Any]]]
                    ) -> Callable[[dict[str, Any]], Callable[[Services], Op[Any]]]:
        """A step's service call, made with the version saved when Record is pressed (after any reload)."""
        def submit(values: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            assert self.view is not None
            return make(self.view.version, values)
        return submit

    def _due_text(self, rule: str, label: str) -> Callable[[Any], str]:
        """A live "… due by" line under a date field: when the clock ``rule`` started on that date ends."""
        cal, amount = self.ctx.calendar, self.ctx.settings.amount(rule)

        def text(d: Any) -> str:
            return f"{label} due by {uk_long(due_date(rule, d, cal, amount))}" if isinstance(d, dt.date) else ""
        return text

    def _notify_step(self, v: IncidentView) -> Step:
        specs = [Spec("Notification date", "date", self.ctx.as_of(),
                      preview=self._due_text("rapid-review", "Rapid Review")),
                 Spec("Panel reference", "line", v.panel_reference, placeholder="the Panel's reference, if given")]
        return ("Record notification", "The date the notification was sent to the National Panel.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.record_notification(
                    v.id, version, x["Notification date"], x["Panel reference"])))

    def _rapid_review_step(self, v: IncidentView) -> Step:
        rr = v.rapid_review
        specs = [Spec("Meeting date", "date", rr.meeting_date if rr else None),
                 Spec("Sent to the Panel", "date", self.ctx.as_of()),
                 Spec("Agencies", "checklist", rr.agency_ids if rr else (), [(a.name, a.id) for a in self.agencies]),
                 Spec("Immediate learning", "text", rr.immediate_learning if rr else "")]
        return ("Record Rapid Review", "The Rapid Review meeting and the date it was sent to the Panel.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.record_rapid_review(
                    v.id, version, x["Sent to the Panel"], x["Meeting date"], x["Agencies"],
                    x["Immediate learning"])))

    def _decision_step(self, v: IncidentView) -> Step:
        rr = v.rapid_review
        specs = [Spec("Decision", "choice", Decision.LCSPR, [(label, k) for k, label in DECISIONS.items()]),
                 Spec("Decision date", "date", rr.meeting_date if rr and rr.meeting_date else self.ctx.as_of(),
                      preview=self._due_text("lcspr-publication", "LCSPR publication (target)")),
                 Spec("Reasons", "text", "", placeholder="required when no local review is to be undertaken")]
        return ("Record decision", "The partnership's decision after the Rapid Review.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.record_decision(
                    v.id, version, x["Decision"], x["Decision date"], x["Reasons"])))

    def _panel_response_step(self, v: IncidentView) -> Step:
        specs = [Spec("Panel response date", "date", self.ctx.as_of()), Spec("Panel view", "text", "")]
        return ("Record Panel response", "The National Panel's response to the Rapid Review.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.record_panel_response(
                    v.id, version, x["Panel response date"], x["Panel view"])))

    def _commission_step(self, v: IncidentView) -> Step:
        rr = v.rapid_review
        kind = ReviewKind.LCSPR if rr and rr.decision == Decision.LCSPR else ReviewKind.OTHER
        specs = [Spec("Kind", "choice", kind, [(label, k) for k, label in REVIEW_KINDS.items()]),
                 Spec("Title", "line", f"Review of {v.pseudonym}"),
                 Spec("Decision date", "date", rr.decision_date if rr else self.ctx.as_of(),
                      preview=self._due_text("lcspr-publication", "Publication (six-month target)")),
                 Spec("Case reference", "line", "",
                      placeholder=f"blank: the next {self.ctx.settings.review_prefix} reference"),
                 Spec("Reviewer", "line", ""),
                 Spec("Planned publication", "date", None,
                      preview=self._due_text("advance-copy", "Advance copy to the Panel and Secretary of State"))]
        return ("Commission review", f"Commission a review of {v.local_ref}.", specs,
                lambda x: lambda svc: svc.reviews.commission([v.id], ReviewInput(
                    x["Kind"], x["Title"], x["Decision date"], x["Case reference"], reviewer=x["Reviewer"],
                    planned_publication_date=x["Planned publication"])))

    def _close_step(self, v: IncidentView) -> Step:
        specs = [Spec("Closed on", "date", self.ctx.as_of()), Spec("Reason", "text", "")]
        return ("Close case", "Closing stops the case's clocks and takes it off the open registers.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.close(
                    v.id, version, x["Closed on"], x["Reason"])))

    def _action_done(self, op: Op[Any]) -> None:
        if isinstance(op.value, IncidentView):
            self._reloaded(op.value, keep_edits=True)
        else:  # a review was commissioned: show the incident's new state
            self.reload(keep_edits=True)
