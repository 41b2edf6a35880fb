"""The windows the main window opens beside itself: the incident and review forms (one per record), the case
report on the Reports page, the deadline calculator and the audit log; each is tracked so closing the window
closes them first. The forms' modules load when the first is opened, not while the window starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QWidget,
)

from bscp_desktop.ui.runtime.context import AppContext

if TYPE_CHECKING:
    from bscp_desktop.ui.dialogs.audit_log import AuditDialog
    from bscp_desktop.ui.dialogs.deadline_calculator import DeadlineCalculator
    from bscp_desktop.ui.forms.incident_form import IncidentForm


class RecordWindows:
    """The forms and dialogs the main window opens beside itself (a mixin of ``MainWindow``, which gives the
    context and the list of open forms)."""

    ctx: AppContext
    forms: list[QWidget]
    show_review_actions: Callable[[int], None]  # the window's own: the review's actions on the Actions page
    show_case_report: Callable[[str], None]  # the window's own
    show_case_document: Callable[[str, str], None]  # the window's own

    def as_widget(self) -> QWidget:
        """The window itself, as the parent of the dialogs these parts open."""
        assert isinstance(self, QWidget)
        return self

    # -- records ----------------------------------------------------------------------------------------
    def new_incident(self) -> IncidentForm:
        """Open a blank incident form."""
        from bscp_desktop.ui.forms.incident_form import IncidentForm

        form = IncidentForm(self.ctx, None, self.as_widget())
        self._track(form)
        form.open_review.connect(self.open_review)
        form.case_report.connect(self.show_case_report)
        form.case_document.connect(self.show_case_document)
        form.show()
        return form

    def open_incident(self, incident_id: int) -> None:
        """Open an incident's form (read in the background)."""
        self.ctx.ops.query(self.as_widget(), lambda svc: svc.incidents.get(incident_id), self._show_incident)

    def _show_incident(self, view: Any) -> None:
        from bscp_desktop.ui.forms.incident_form import IncidentForm

        if self._raise_open(IncidentForm, view.id) is not None:
            return
        form = IncidentForm(self.ctx, view, self.as_widget())
        form.open_review.connect(self.open_review)
        form.case_report.connect(self.show_case_report)
        form.case_document.connect(self.show_case_document)
        self._track(form)
        form.show()

    def open_review(self, review_id: int, then: str = "") -> None:
        """Open a review's form (read in the background), then start the action ``then`` if it applies."""
        self.ctx.ops.query(self.as_widget(), lambda svc: svc.reviews.get(review_id), lambda v: self._show_review(v, then))

    def _show_review(self, view: Any, then: str = "") -> None:
        from bscp_desktop.ui.forms.review_form import ReviewForm

        if (open_form := self._raise_open(ReviewForm, view.id)) is not None:
            if then and then in view.available_actions() and isinstance(open_form, ReviewForm):
                open_form.start_action(then)
            return
        form = ReviewForm(self.ctx, view, self.as_widget())
        form.open_incident.connect(self.open_incident)
        form.show_actions.connect(self.show_review_actions)
        form.case_report.connect(self.show_case_report)
        self._track(form)
        form.show()
        if then and then in view.available_actions():
            form.start_action(then)

    def _raise_open(self, kind: type[QWidget], record_id: int) -> QWidget | None:
        """The form of this record already open, brought to the front (a record is open in one form at most:
        a double-click that also activates, or opening it again from another page, shows the same form)."""
        for form in self.forms:
            view = getattr(form, "view", None)
            if isinstance(form, kind) and form.isVisible() and view is not None and view.id == record_id:
                form.raise_()
                form.activateWindow()
                return form
        return None

    def _track(self, form: QWidget) -> None:
        self.forms.append(form)
        form.destroyed.connect(lambda _o=None, f=form: self.forms.remove(f) if f in self.forms else None)

    # -- tools ------------------------------------------------------------------------------------------
    def deadline_calculator(self) -> DeadlineCalculator:
        """Open the deadline calculator."""
        from bscp_desktop.ui.dialogs.deadline_calculator import DeadlineCalculator

        dlg = DeadlineCalculator(self.ctx, self.as_widget())
        dlg.show()
        self.forms.append(dlg)
        return dlg

    def audit_log(self) -> AuditDialog:
        """Open the audit log (returned for tests)."""
        from bscp_desktop.ui.dialogs.audit_log import AuditDialog

        dlg = AuditDialog(self.ctx, self.as_widget())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._track(dlg)
        dlg.show()
        return dlg
