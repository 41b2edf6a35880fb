"""The Actions page: every agency action across reviews, filtered by agency, status, review and overdue; add
recommendations and actions; edit an action's progress, evidence and assurance; set the status of several
selected actions at once (one audited transaction, all or nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.rules import Rag
from bscp_desktop.domain.vocab import ACTION_STATUSES, RECOMMENDATION_SCOPES, ActionStatus
from bscp_desktop.services import Op, Services, ValidationError
from bscp_desktop.services.registers.columns import action_columns
from bscp_desktop.services.reviews.actions import ActionFilter, ActionInput, ActionView
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import FieldError, heading, leads_to, make_combo, refill, row_table, search_field
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.ui.widgets.table_model import RegisterColumnsModel

if TYPE_CHECKING:
    from bscp_desktop.services.exchange.action_plan_import import ActionPlan
    from bscp_desktop.ui.dialogs.import_dialog import ImportDialog


# Column positions the page refers to (the model's HEADERS give every column).
COL_REC = 1
COL_ACTION = 3
COL_RAG = 7


class ActionModel(RegisterColumnsModel):
    """The actions listed."""

    COLUMNS = action_columns()  # the same columns the export command writes
    RAG_COLUMN = COL_RAG

    def tooltip(self, a: ActionView, column: int) -> str | None:
        return f"R{a.recommendation_number}: {a.recommendation_text}" if column == COL_REC else None

    def rag(self, a: ActionView) -> Rag | None:
        return a.rag


class ActionsPage(QWidget):
    """Agency actions across every review."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.recommendations: list[tuple[int, str]] = []
        self.dialog: FieldsDialog | None = None
        self._build_controls()
        self._lay_out()

    def _build_controls(self) -> None:
        """The search and filters, the buttons that add and edit, the table, and the bulk status row."""
        self.search = search_field(self, "Find an action", "Find in actions, owners, recommendations…")
        self.agency = make_combo(self, "Agency", [("All agencies", None)])
        self.status = make_combo(self, "Status", [("Open actions", "open"), ("All statuses", "")]
                                  + [(v, k) for k, v in ACTION_STATUSES.items()])
        self.review = make_combo(self, "Review", [("All reviews", None)])
        self.overdue = QCheckBox("Overdue only", self)
        self.count = QLabel(self)
        self.add_rec_button = self.ctx.writes(QPushButton("Add recommendation…", self))
        self.add_button = self.ctx.writes(QPushButton("Add action…", self))
        self.edit_button = self.ctx.writes(QPushButton("Edit action…", self))
        self.import_button = self.ctx.writes(QPushButton("Import action plan…", self))
        self.import_button.setToolTip("Add a review's recommendations and actions from its action plan kept in a "
                                      "spreadsheet (.xlsx or .csv)")
        self.importer: ImportDialog | None = None
        self.model = ActionModel()
        self.table = row_table(self, self.model, "Actions", several=True)
        leads_to(self.search, self.table)
        for i, w in enumerate((120, 50, 170, 300, 120, 90, 110, 80)):
            self.table.setColumnWidth(i, w)
        self.table.horizontalHeader().setSectionResizeMode(COL_ACTION, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _ix: self.edit_action())
        self.bulk_status = make_combo(self, "New status", [(v, k) for k, v in ACTION_STATUSES.items()])
        self.bulk_date = DateField("Completed on", self)
        self.bulk_date.set_value(self.ctx.as_of())
        self.bulk_button = self.ctx.writes(QPushButton("Apply to selected", self))
        self.bulk_error = FieldError(self)

    def _lay_out(self) -> None:
        """Title and buttons over the filters, the table, the bulk status row; and what each control does."""
        top = QHBoxLayout()
        top.addWidget(heading("Actions", self))
        top.addStretch(1)
        top.addWidget(self.count)
        for b in (self.add_rec_button, self.add_button, self.edit_button, self.import_button):
            top.addWidget(b)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        for box in (self.agency, self.status, self.review):
            bar.addWidget(box, 1)
        bar.addWidget(self.overdue)
        bulk = QHBoxLayout()
        bulk.addWidget(QLabel("Set the status of the selected actions to", self))
        bulk.addWidget(self.bulk_status)
        bulk.addWidget(QLabel("completed on", self))
        bulk.addWidget(self.bulk_date)
        bulk.addWidget(self.bulk_button)
        bulk.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addLayout(bulk)
        lay.addWidget(self.bulk_error)
        self.search.textChanged.connect(lambda _t: self.refresh())
        for combo in (self.agency, self.status, self.review):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _b: self.refresh())
        self.add_rec_button.clicked.connect(self.add_recommendation)
        self.add_button.clicked.connect(self.add_action)
        self.edit_button.clicked.connect(self.edit_action)
        self.import_button.clicked.connect(self.import_action_plan)
        self.bulk_button.clicked.connect(self.apply_bulk)
        self.ctx.bus.changed.connect(lambda ch: self.refresh() if ch.touches("action", "review", "reference") else None)

    def filter(self) -> ActionFilter:
        """The filter the controls describe."""
        return ActionFilter(self.agency.currentData(), self.status.currentData() or "", self.review.currentData(),
                            self.overdue.isChecked(), self.search.text())

    def refresh(self) -> None:
        """Read the actions, agencies and reviews in the background."""
        self.loading = True
        f = self.filter()
        self.ctx.ops.query(self, lambda svc: (svc.actions.find(f), svc.reference_lists.agencies(),
                                              svc.actions.review_choices(), svc.actions.recommendation_choices()),
                           self._loaded, key="actions")

    def _loaded(self, got: tuple[list[ActionView], list[Any], list[tuple[int, str]], list[tuple[int, str]]]) -> None:
        actions, agencies, reviews, self.recommendations = got
        refill(self.agency, [(a.name, a.id) for a in agencies], "All agencies")
        refill(self.review, [(ref, rid) for rid, ref in reviews], "All reviews")
        self.model.set_rows(actions)
        overdue = sum(1 for a in actions if a.overdue)
        self.count.setText(f"{len(actions):,} action{'' if len(actions) == 1 else 's'}, {overdue:,} overdue")
        self.loading = False

    def show_review(self, review_id: int) -> None:
        """Show one review's actions (the review is added to the list when it is not in it yet)."""
        i = self.review.findData(review_id)
        if i >= 0:
            self.review.setCurrentIndex(i)
            return

        def add(reference: str) -> None:
            self.review.addItem(reference, review_id)
            self.review.setCurrentIndex(self.review.count() - 1)
        self.ctx.ops.query(self, lambda svc: svc.reviews.get(review_id).case_reference, add, key="review")

    def selected(self) -> list[ActionView]:
        """The selected actions, in list order."""
        return [self.model.rows[ix.row()] for ix in sorted(self.table.selectionModel().selectedRows(),
                                                           key=lambda i: i.row())]

    # -- editing ----------------------------------------------------------------------------------------
    def _open(self, title: str, intro: str, specs: list[Spec], submit: Any) -> FieldsDialog:
        dlg = FieldsDialog(self.ctx, title, intro, specs, submit, lambda _op: None, self.refresh, self)
        self.dialog = dlg
        dlg.open()
        return dlg

    def add_recommendation(self) -> FieldsDialog:
        """Add a numbered recommendation to a review (returned for tests)."""
        reviews = [(self.review.itemText(i), self.review.itemData(i)) for i in range(1, self.review.count())]
        specs = [Spec("Review", "choice", self.review.currentData(), reviews),
                 Spec("Recommendation", "text", ""),
                 Spec("Scope", "choice", "local", [(v, k) for k, v in RECOMMENDATION_SCOPES.items()])]

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            review_id, text, scope = x["Review"], x["Recommendation"], x["Scope"]

            def call(svc: Services) -> Op[Any]:
                if review_id is None:
                    raise ValidationError.one("Review", "choose the review the recommendation comes from")
                return svc.actions.add_recommendation(review_id, text, scope)
            return call

        return self._open("Add recommendation", "Recommendations are numbered within their review.", specs, submit)

    def import_action_plan(self) -> None:
        """Choose the review and the spreadsheet, check it in the background, then show what it would add."""
        from bscp_desktop.ui.dialogs import import_dialog  # loaded when first used: not on the start-up path

        reviews = [(self.review.itemData(i), self.review.itemText(i)) for i in range(1, self.review.count())]
        if not reviews:
            errors.information(self, "Import action plan", "No review can carry recommendations yet: record a "
                                                           "review's final report first.")
            return
        review_id = import_dialog.choose_review(self, reviews, self.review.currentData())
        if review_id is None:
            return
        path = import_dialog.choose_sheet(self, "Import action plan")
        if path is None:
            return
        self.ctx.ops.long_query(self, "Checking the file",
                                lambda svc, _p: svc.action_plan_import.check(path, review_id), self._plan_checked)

    def _plan_checked(self, plan: ActionPlan) -> None:
        from bscp_desktop.ui.dialogs import import_dialog

        self.importer = import_dialog.action_plan_dialog(self.ctx, plan, self)
        self.importer.open()

    def _action_specs(self, a: ActionView | None) -> list[Spec]:
        agencies = [(self.agency.itemText(i), self.agency.itemData(i)) for i in range(1, self.agency.count())]
        return [Spec("Action", "text", a.description if a else ""),
                Spec("Agency", "choice", a.agency_id if a else None, [("— none —", None), *agencies]),
                Spec("Owner", "line", a.owner if a else ""),
                Spec("Due", "date", a.due_date if a else None),
                Spec("Status", "choice", a.status if a else ActionStatus.NOT_STARTED,
                     [(v, k) for k, v in ACTION_STATUSES.items()]),
                Spec("Reason", "text", a.not_accepted_reason if a else "", placeholder="when not accepted"),
                Spec("Evidence", "text", a.evidence_notes if a else "", placeholder="what shows it was done"),
                Spec("Completed on", "date", a.completed_date if a else None),
                Spec("Assurance", "line", a.assured_by if a else "", placeholder="who signed off the assurance"),
                Spec("Assured on", "date", a.assured_date if a else None)]

    @staticmethod
    def _input(x: dict[str, Any]) -> ActionInput:
        return ActionInput(x["Action"], x["Agency"], x["Owner"], x["Due"], x["Status"], x["Reason"], x["Evidence"],
                           x["Completed on"], x["Assurance"], x["Assured on"])

    def add_action(self) -> FieldsDialog:
        """Add an action to a recommendation (returned for tests)."""
        recs = [(label, rid) for rid, label in self.recommendations]
        specs = [Spec("Recommendation", "choice", None, [("— choose —", None), *recs]), *self._action_specs(None)]

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            rec_id, data = x["Recommendation"], self._input(x)

            def call(svc: Services) -> Op[Any]:
                if rec_id is None:
                    raise ValidationError.one("Recommendation", "choose the recommendation the action implements")
                return svc.actions.add(rec_id, data)
            return call

        return self._open("Add action", "An agency's action on a recommendation.", specs, submit)

    def edit_action(self) -> FieldsDialog | None:
        """Edit the selected action (returned for tests)."""
        chosen = self.selected()
        if len(chosen) != 1:
            errors.information(self, "Edit action", "Select one action to edit.")
            return None
        a = chosen[0]
        return self._open(f"Action on {a.review_reference} R{a.recommendation_number}", a.recommendation_text,
                          self._action_specs(a),
                          lambda x: self._update_call(a, self._input(x)))

    @staticmethod
    def _update_call(a: ActionView, data: ActionInput) -> Callable[[Services], Op[Any]]:
        """The write that saves an edited action (its values read when OK is pressed)."""
        return lambda svc: svc.actions.update(a.id, a.version, data)

    def apply_bulk(self) -> None:
        """Set the status of every selected action, all or nothing."""
        chosen = self.selected()
        self.bulk_error.show_message(None)
        if not chosen:
            self.bulk_error.show_message("Select the actions to change first.")
            return
        status, on = self.bulk_status.currentData(), self.bulk_date.value()
        items = [(a.id, a.version) for a in chosen]
        self.ctx.ops.write(self, lambda svc: svc.actions.bulk_status(items, status, on),
                           on_invalid=self._bulk_refused)

    def _bulk_refused(self, exc: ValidationError) -> None:
        self.bulk_error.show_message("Nothing was changed:\n" + "\n".join(f"{p.field}: {p.message}"
                                                                         for p in exc.problems))
