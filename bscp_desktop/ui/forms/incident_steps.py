"""The incident form's lifecycle steps: a dialog for each action that applies now (record the notification,
the Rapid Review sent, the decision, the Panel's response; commission a review; close the case), each built
from the incident as loaded and recorded at the version the form holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QWidget,
)

from bscp_desktop.domain.rules import due_date
from bscp_desktop.domain.vocab import (
    DECISIONS,
    REVIEW_KINDS,
    Decision,
    PanelReply,
    ReviewKind,
)
from bscp_desktop.services import Op, Services
from bscp_desktop.services.incidents.views import IncidentView
from bscp_desktop.services.reviews.reviews import ReviewInput
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.util.dates import uk_long

# A lifecycle step's dialog: title, introduction, fields, and the service call made from the fields' values.
Step = tuple[str, str, list[Spec], Callable[[dict[str, Any]], Callable[[Services], Op[Any]]]]

ACTION_LABELS = {
    "notify": "Record notification…", "rapid-review": "Record Rapid Review sent…", "decision": "Record decision…",
    "choose-rapid-review": "Hold a Rapid Review anyway…", "send-without-sign-off": "Record sent without sign-off…",
    "panel-response": "Record Panel response…", "commission": "Commission review…", "close": "Close case…",
}


class IncidentSteps:
    """The lifecycle steps of the incident form (a mixin of ``IncidentForm``, which gives the context and the
    incident shown)."""

    ctx: AppContext
    view: IncidentView | None
    step_dialog: FieldsDialog | None
    reload: Callable[..., None]  # the form's own
    _action_done: Callable[[Op[Any]], None]  # the form's own

    def as_widget(self) -> QWidget:
        """The form itself, as the parent of the dialogs these parts open."""
        assert isinstance(self, QWidget)
        return self

    def start_action(self, action: str) -> FieldsDialog:
        """Open the dialog for a lifecycle action (returned for tests)."""
        assert self.view is not None
        steps: dict[str, Callable[[IncidentView], Step]] = {
            "notify": self._notify_step, "rapid-review": self._rapid_review_step, "decision": self._decision_step,
            "choose-rapid-review": self._choose_step, "send-without-sign-off": self._without_sign_off_step,
            "panel-response": self._panel_response_step, "commission": self._commission_step,
            "close": self._close_step,
        }
        title, intro, specs, submit = steps[action](self.view)
        dlg = FieldsDialog(self.ctx, f"{title} — {self.view.local_ref}", intro, specs, submit, self._action_done,
                           lambda: self.reload(keep_edits=True, after_conflict=True), self.as_widget())
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
                 Spec("Immediate learning", "text", rr.immediate_learning if rr else "")]
        return ("Record Rapid Review sent", "The Rapid Review meeting and the date the report was sent to the "
                "Panel, once the three safeguarding partners have agreed it.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.record_rapid_review(
                    v.id, version, x["Sent to the Panel"], x["Meeting date"], x["Immediate learning"])))

    def _without_sign_off_step(self, v: IncidentView) -> Step:
        rr = v.rapid_review
        missing = ", ".join(p.label.lower() for p in (rr.partners_to_agree if rr else ())) or "none"
        specs = [Spec("Meeting date", "date", rr.meeting_date if rr else None),
                 Spec("Sent to the Panel", "date", self.ctx.as_of()),
                 Spec("Reason", "text", "", placeholder="why the report went before all three partners agreed")]
        return ("Record sent without sign-off", f"Still to agree: {missing}. An administrator records why the "
                "Rapid Review went to the Panel without them; the reason is kept in the audit log.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.record_rapid_review_without_sign_off(
                    v.id, version, x["Sent to the Panel"], x["Reason"], x["Meeting date"])))

    def _choose_step(self, v: IncidentView) -> Step:
        return ("Hold a Rapid Review anyway", "The partnership may hold a Rapid Review that a care leaver's death "
                "with no suspicion of abuse or neglect does not need. Its 15-working-day clock then runs from the "
                "notification.", [],
                self._at_version(lambda version, _x: lambda svc: svc.incidents.choose_rapid_review(
                    v.id, version, True)))

    def _decision_step(self, v: IncidentView) -> Step:
        rr = v.rapid_review
        answered = "; ".join(f"{c.criterion.short_label}: {c.answer.label.lower()}" for c in rr.criteria) if rr else ""
        specs = [Spec("Decision", "choice", Decision.LCSPR, [(label, k) for k, label in DECISIONS.items()]),
                 Spec("Decision date", "date", rr.meeting_date if rr and rr.meeting_date else self.ctx.as_of(),
                      preview=self._due_text("lcspr-publication", "LCSPR publication (target)")),
                 Spec("Reasons", "text", "", placeholder="required when no local review is to be undertaken")]
        return ("Record decision", "The partnership's decision after the Rapid Review. The local review criteria "
                f"as answered (Rapid Review › Local review criteria…): {answered or 'none yet'}. No local review "
                "needs every criterion answered with its reasons.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.record_decision(
                    v.id, version, x["Decision"], x["Decision date"], x["Reasons"])))

    def _panel_response_step(self, v: IncidentView) -> Step:
        specs = [Spec("Panel response date", "date", self.ctx.as_of()),
                 Spec("Panel reply", "choice", PanelReply.AGREES, [(p.label, p.value) for p in PanelReply]),
                 Spec("Panel view", "text", "")]
        return ("Record Panel response", "The National Panel's response to the Rapid Review.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.record_panel_response(
                    v.id, version, x["Panel response date"], x["Panel view"], x["Panel reply"])))

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
        running = [p for p in v.proceedings if p.running]
        if running:  # recorded once on the incident: each can start its publication hold now
            specs.append(Spec("Hold publication for", "checklist", tuple(p.id for p in running),
                              [(f"{p.kind.label}: {p.describe.lower()}", p.id) for p in running]))
        return ("Commission review", f"Commission a review of {v.local_ref}."
                + (" Proceedings still running hold the review's publication from the decision (or from when they "
                   "started, if later) until each hold is lifted on the review." if running else ""), specs,
                lambda x: lambda svc: svc.reviews.commission([v.id], ReviewInput(
                    x["Kind"], x["Title"], x["Decision date"], x["Case reference"], reviewer=x["Reviewer"],
                    planned_publication_date=x["Planned publication"]), tuple(x.get("Hold publication for", ()))))

    def _close_step(self, v: IncidentView) -> Step:
        specs = [Spec("Closed on", "date", self.ctx.as_of()), Spec("Reason", "text", "")]
        return ("Close case", "Closing stops the case's clocks and takes it off the open registers.", specs,
                self._at_version(lambda version, x: lambda svc: svc.incidents.close(
                    v.id, version, x["Closed on"], x["Reason"])))
