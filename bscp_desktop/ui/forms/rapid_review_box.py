"""The Rapid Review on the incident form while it is gathered: each agency's return (asked on, due, answered,
RAG, what each did with the child), the three statutory partners' sign-off, the report's narrative sections and
the local-review criteria answered one by one. Each button opens a small
dialog whose write goes through the ops layer; ``done`` carries the write's result to the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from bscp_desktop.domain.rapid_review import LATE_REASON, SECTIONS, CriterionAnswer, LocalReviewCriterion
from bscp_desktop.domain.rules import due_date
from bscp_desktop.domain.vocab import NationalImportance, Partner
from bscp_desktop.services.incidents.local_review_criteria import CriterionView
from bscp_desktop.services.incidents.rapid_reviews import LocalReviewGrounds, RapidReviewReport, ReturnState
from bscp_desktop.services.incidents.views import IncidentView
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import hint, rag_colours, record_table
from bscp_desktop.util.dates import uk


class RapidReviewBox(QGroupBox):
    """The Rapid Review's agency returns, sign-off and report sections for one incident."""

    done = Signal(object)  # the Op of a write

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Rapid Review", parent)
        self.ctx = ctx
        self.view: IncidentView | None = None
        self.states: list[ReturnState] = []
        self.agencies: list[Any] = []
        self.dialog: FieldsDialog | None = None
        self.basis = hint("", self)
        self.returns = record_table(self, "Agency returns", ("Agency", "Asked on", "Due", "Answered on", "Status"),
                                    0, (180, 78, 78, 88, 72))
        self.ask_button = ctx.writes(QPushButton("Ask an agency…", self))
        self.answer_button = ctx.writes(QPushButton("Record answer…", self))
        self.remove_button = ctx.writes(QPushButton("Remove agency", self))
        self.signoff = record_table(self, "Partners' sign-off", ("Partner", "Agreed by", "Role", "Agreed on"), 2,
                                    (145, 130, 130, 78))
        self.signoff.setFixedHeight(self.signoff.verticalHeader().defaultSectionSize() * 3
                                    + self.signoff.horizontalHeader().sizeHint().height() + 4)
        self.agree_button = ctx.writes(QPushButton("Record agreement…", self))
        self.withdraw_button = ctx.writes(QPushButton("Withdraw agreement", self))
        self.report_button = ctx.writes(QPushButton("Report sections…", self))
        self.criteria_button = ctx.writes(QPushButton("Local review criteria…", self))
        self.criteria_button.setToolTip("Each criterion for a local child safeguarding practice review answered with "
                                        "its reasons, and the national-importance view")
        self.report_state = QLabel(self)
        self.report_state.setWordWrap(True)
        self.report_state.setAccessibleName("Report sections")
        self.ask_button.clicked.connect(lambda: self.ask_agency())
        self.answer_button.clicked.connect(lambda: self.record_answer())
        self.remove_button.clicked.connect(lambda: self.remove_agency())
        self.agree_button.clicked.connect(lambda: self.record_agreement())
        self.withdraw_button.clicked.connect(lambda: self.withdraw_agreement())
        self.report_button.clicked.connect(lambda: self.edit_report())
        self.criteria_button.clicked.connect(lambda: self.edit_criteria())
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<b>Agency returns</b>", self))
        lay.addWidget(self.basis)
        lay.addWidget(self.returns)
        lay.addLayout(self._row(self.ask_button, self.answer_button, self.remove_button))
        lay.addWidget(QLabel("<b>The three safeguarding partners' agreement</b>", self))
        lay.addWidget(self.signoff)
        lay.addLayout(self._row(self.agree_button, self.withdraw_button))
        lay.addWidget(self.report_state)
        lay.addLayout(self._row(self.report_button, self.criteria_button))
        self.setVisible(False)

    @staticmethod
    def _row(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        return row

    # -- showing ----------------------------------------------------------------------------------------
    def show_incident(self, view: IncidentView, states: list[ReturnState], agencies: list[Any]) -> None:
        """Show ``view``'s Rapid Review (hidden before the notification, or when the notification needs none)."""
        self.view, self.states, self.agencies = view, states, agencies
        self.setVisible(view.notified_date is not None and view.rapid_review_required)
        rr = view.rapid_review
        sent = rr is not None and rr.sent_date is not None
        amount = self.ctx.settings.amount("agency-return")
        self.basis.setText(f"Each agency answers within {amount} working days of being asked (partnership "
                           "practice; Settings › Statutory clocks)." + (" Sent: the returns and sign-off are final."
                                                                       if sent else ""))
        self.returns.setRowCount(len(states))
        for r, st in enumerate(states):
            for c, text in enumerate((st.ret.agency, uk(st.ret.asked_on), uk(st.due), uk(st.ret.answered_on, "—"),
                                      st.rag.value)):
                item = QTableWidgetItem(text)
                item.setToolTip("\n".join(x for x in (st.ret.agency, st.ret.involvement and
                                                        f"What the agency did: {st.ret.involvement}",
                                                        st.ret.note and f"Note: {st.ret.note}") if x))
                if c == 4:  # the status in colour and in words
                    bg, fg = rag_colours(st.rag)
                    item.setBackground(QBrush(bg))
                    item.setForeground(QBrush(fg))
                self.returns.setItem(r, c, item)
        self.returns.setFixedHeight(self.returns.horizontalHeader().sizeHint().height() + 2 * self.returns.frameWidth()
                                    + max(len(states), 2) * self.returns.verticalHeader().defaultSectionSize() + 2)
        self.signoff.setRowCount(len(Partner))
        for r, p in enumerate(Partner):
            a = rr.agreement(p) if rr is not None else None
            values = (p.label, a.name, a.role_title, uk(a.agreed_on)) if a else (p.label, "not yet agreed", "", "")
            for c, text in enumerate(values):
                self.signoff.setItem(r, c, QTableWidgetItem(text))
        filled = [s.label for s in SECTIONS if rr is not None and getattr(rr, s.field)]
        view_label = NationalImportance.of(rr.national_importance).label if rr is not None else "Not yet decided"
        answered = sum(c.answered for c in rr.criteria) if rr is not None else 0
        self.report_state.setText(f"Report sections written: {', '.join(filled) or 'none yet'}. "
                                  f"Local review criteria answered: {answered} of {len(LocalReviewCriterion)}. "
                                  f"National importance: {view_label}.")
        for b in (self.ask_button, self.answer_button, self.remove_button, self.agree_button, self.withdraw_button):
            b.setVisible(not sent)

    def _selected(self, table: Any) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    # -- actions ----------------------------------------------------------------------------------------
    def _open(self, title: str, intro: str, specs: list[Spec], submit: Any) -> FieldsDialog:
        assert self.view is not None
        dlg = FieldsDialog(self.ctx, f"{title} — {self.view.local_ref}", intro, specs, submit, self.done.emit,
                           lambda: None, self)
        self.dialog = dlg
        dlg.open()
        return dlg

    def ask_agency(self) -> FieldsDialog:
        """The dialog to record that an agency was asked for its return (returned for tests)."""
        assert self.view is not None
        vid = self.view.id
        asked = {st.ret.agency_id for st in self.states}
        choices = [(a.name, a.id) for a in self.agencies if a.id not in asked]
        specs = [Spec("Agency", "choice", choices[0][1] if choices else None, choices),
                 Spec("Asked on", "date", self.ctx.as_of(), preview=self._due_preview), Spec("Note", "text", "")]
        return self._open("Ask an agency", "Which agency was asked for its chronology and analysis, and when.", specs,
                          lambda x: lambda svc: svc.rapid_reviews.ask_agency(vid, x["Agency"], x["Asked on"], x["Note"]))

    def _due_preview(self, d: Any) -> str:
        if d is None:
            return ""
        due = due_date("agency-return", d, self.ctx.calendar, self.ctx.settings.amount("agency-return"))
        return f"Return due by {uk(due)}"

    def record_answer(self) -> FieldsDialog | None:
        """The dialog to record when the selected agency answered (returned for tests)."""
        row = self._selected(self.returns)
        if row is None:
            return None
        ret = self.states[row].ret
        specs = [Spec("Answered on", "date", ret.answered_on or self.ctx.as_of()),
                 Spec("What the agency did", "text", ret.involvement,
                      placeholder="from the return: what the agency did with the child (the report's line for it)"),
                 Spec("Note", "text", ret.note, placeholder="for the unit: chasers, who sent it")]
        return self._open(f"Answer from {ret.agency}", f"Asked on {uk(ret.asked_on)}; due by "
                          f"{uk(self.states[row].due)}.", specs,
                          lambda x: lambda svc: svc.rapid_reviews.record_return(ret.id, ret.version, x["Answered on"],
                                                                                 x["Note"], x["What the agency did"]))

    def remove_agency(self) -> None:
        """Take the selected agency off the Rapid Review (asked in error)."""
        row = self._selected(self.returns)
        if row is None:
            return
        ret = self.states[row].ret
        if not errors.ask(self, "Remove agency", f"Take {ret.agency} off this Rapid Review? Do this for an agency "
                          "asked in error; the audit log keeps that it was asked."):
            return
        self.ctx.ops.write(self, lambda svc: svc.rapid_reviews.remove_return(ret.id, ret.version), self.done.emit)

    def record_agreement(self) -> FieldsDialog:
        """The dialog to record one partner's agreement (the selected partner, else the first still to agree)."""
        assert self.view is not None
        vid, rr = self.view.id, self.view.rapid_review
        row = self._selected(self.signoff)
        partners = list(Partner)
        default = partners[row] if row is not None else next(
            (p for p in partners if rr is None or rr.agreement(p) is None), partners[0])
        existing = rr.agreement(default) if rr is not None else None
        specs = [Spec("Partner", "choice", default, [(p.label, p.value) for p in partners]),
                 Spec("Agreed by", "line", existing.name if existing else ""),
                 Spec("Role", "line", existing.role_title if existing else ""),
                 Spec("Agreed on", "date", existing.agreed_on if existing else self.ctx.as_of())]
        return self._open("Record agreement", "One of the three statutory safeguarding partners agrees the Rapid "
                          "Review report before it is sent to the Panel.", specs,
                          lambda x: lambda svc: svc.rapid_reviews.record_agreement(
                              vid, x["Partner"], x["Agreed by"], x["Role"], x["Agreed on"]))

    def withdraw_agreement(self) -> None:
        """Remove the selected partner's agreement (recorded in error)."""
        row = self._selected(self.signoff)
        rr = self.view.rapid_review if self.view is not None else None
        if row is None or rr is None:
            return
        a = rr.agreement(list(Partner)[row])
        if a is not None and errors.ask(self, "Withdraw agreement", f"Withdraw the {a.partner_label.lower()}'s "
                                        f"agreement recorded for {a.name}? The Rapid Review cannot then be sent "
                                        "until it is recorded again."):
            self.ctx.ops.write(self, lambda svc: svc.rapid_reviews.withdraw_agreement(a.id, a.version), self.done.emit)

    def edit_report(self) -> FieldsDialog:
        """The dialog of the report's narrative sections, how views were sought and why it went late."""
        assert self.view is not None
        vid, rr = self.view.id, self.view.rapid_review
        version = rr.version if rr is not None else None
        due = due_date("rapid-review", self.view.notified_date, self.ctx.calendar,
                       self.ctx.settings.amount("rapid-review")) if self.view.notified_date is not None else None
        specs = [Spec("Meeting date", "date", rr.meeting_date if rr else None)]
        specs += [Spec(s.label, "text", getattr(rr, s.field) if rr else "", placeholder=s.asks, lines=6)
                  for s in SECTIONS]  # the narrative: room to read a paragraph (the dialog scrolls on a small screen)
        specs.append(Spec(LATE_REASON.label, "text", rr.late_reason if rr else "",
                          placeholder=f"if the report went after its due date ({uk(due)}): why" if due else
                          LATE_REASON.asks))

        def submit(x: dict[str, Any]) -> Any:
            report = RapidReviewReport(x["Meeting date"], **{s.field: x[s.label] for s in (*SECTIONS, LATE_REASON)})
            return lambda svc: svc.rapid_reviews.save_report(vid, version, report)
        return self._open("Report sections", "The sections of the Rapid Review report sent to the Panel, in Working "
                          "Together 2023's order. The decision and its reasons are recorded with the decision.", specs,
                          submit)

    def edit_criteria(self) -> FieldsDialog:
        """The dialog answering each local-review criterion with its reasons, and the national-importance view."""
        assert self.view is not None
        vid, rr = self.view.id, self.view.rapid_review
        version = rr.version if rr is not None else None
        answers = {c.criterion: c for c in rr.criteria} if rr is not None else {}
        specs: list[Spec] = []
        for criterion in LocalReviewCriterion:
            got = answers.get(criterion)
            specs += [Spec(criterion.short_label, "choice", got.answer if got else CriterionAnswer.NOT_ANSWERED,
                           [(a.label, a.value) for a in CriterionAnswer], preview=_says(criterion.label)),
                      Spec(f"{criterion.short_label} reasons", "text", got.reasons if got else "", lines=3)]
        specs += [Spec("National importance", "choice", rr.national_importance if rr else "",
                       [(n.label, n.value) for n in NationalImportance]),
                  Spec("National importance reasons", "text", rr.national_importance_reasons if rr else "", lines=3)]

        def submit(x: dict[str, Any]) -> Any:
            grounds = LocalReviewGrounds(
                tuple(CriterionView(c, CriterionAnswer.of(x[c.short_label]), x[f"{c.short_label} reasons"])
                      for c in LocalReviewCriterion), x["National importance"], x["National importance reasons"])
            return lambda svc: svc.rapid_reviews.save_grounds(vid, version, grounds)
        dlg = self._open("Local review criteria", "Working Together 2023: a local child safeguarding practice review "
                         "is for a case that meets one of these criteria. Answer each with its reasons: a decision of "
                         "no local review needs every one.", specs, submit)
        dlg.resize(max(dlg.width(), 760), dlg.height())  # each criterion in full under its short name
        return dlg


def _says(text: str) -> Callable[[Any], str]:
    """A preview that shows ``text`` whatever the field holds (the criterion in full, under its short name)."""
    return lambda _value: text


__all__ = ["RapidReviewBox"]
