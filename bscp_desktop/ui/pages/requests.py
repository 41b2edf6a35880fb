"""The Archive requests page: every request with its 20-working-day clock; log a new one; move it through its
statuses; fulfil it (a release folder with the documents, a cover letter and an e-mail draft)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.rules import Rag, due_date
from bscp_desktop.domain.vocab import (
    FINISHED_REQUESTS,
    REQUEST_CHANNELS,
    REQUEST_STATUSES,
    CatalogueStatus,
    RequestStatus,
)
from bscp_desktop.services import Changes, Op, Services
from bscp_desktop.services.catalogue.requests import RequestInput, RequestView
from bscp_desktop.services.registers.columns import request_columns
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec, from_fields
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import (
    clear_layout,
    heading,
    heading_row,
    hint,
    leads_to,
    list_over_detail,
    open_file,
    row_table,
    search_field,
)
from bscp_desktop.ui.widgets.table_model import RegisterColumnsModel, reselect
from bscp_desktop.util.dates import days_text, uk
from bscp_desktop.util.paths import data_dir

# Column positions the page refers to (the model's HEADERS give every column).
COL_PUBS = 4
COL_RAG = 7


class RequestModel(RegisterColumnsModel):
    """The requests listed."""

    COLUMNS = request_columns()  # the same columns the export command writes
    RAG_COLUMN = COL_RAG

    def rag(self, r: RequestView) -> Rag | None:
        return r.rag


# The buttons that move a request on, named as the action each takes.
STEP_LABELS: dict[str, str] = {RequestStatus.ACKNOWLEDGED: "Record acknowledgement…",
                               RequestStatus.CONSIDERING: "Mark under consideration",
                               RequestStatus.FULFILLED: "Fulfil…", RequestStatus.DECLINED: "Decline…",
                               RequestStatus.WITHDRAWN: "Record withdrawal…"}


class RequestsPage(QWidget):
    """Archive requests."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.publications: list[tuple[str, int]] = []  # what a new request may ask for, read with the list
        self._pending_select: int | None = None  # a request to select once the list has loaded
        self.loading = False
        self.current: RequestView | None = None
        self.dialog: FieldsDialog | None = None
        self.last_release: Any = None
        self._build_list()
        self._build_detail()
        self._lay_out()

    def _build_list(self) -> None:
        """The search, the status filter, Log request, and the table of requests."""
        self.search = search_field(self, "Find a request", "Find: reference, requester, organisation, e-mail…")
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status")
        for label, value in [("Open requests", "open"), ("All requests", "")] + [(v, k) for k, v in REQUEST_STATUSES.items()]:
            self.status.addItem(label, value)
        self.count = QLabel(self)
        self.log_button = self.ctx.writes(QPushButton("Log request…", self))
        self.log_button.setAccessibleName("Log a new archive request")
        self.model = RequestModel()
        self.table = row_table(self, self.model, "Archive requests")
        leads_to(self.search, self.table)
        for i, w in enumerate((115, 90, 150, 190, 200, 140, 90, 90)):
            self.table.setColumnWidth(i, w)
        self.table.horizontalHeader().setSectionResizeMode(COL_PUBS, QHeaderView.ResizeMode.Stretch)

    def _build_detail(self) -> None:
        """The chosen request: its facts, warnings and the steps that apply to it."""
        self.title = heading("", self, 1.1)
        self.facts = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for name in ("Requester", "Received", "Due", "Publications", "Purpose", "Status", "Disclosed"):
            lab = QLabel(self)
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[name] = lab
            self.facts.addRow(f"{name}:", lab)
        self.flags = QLabel(self)
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet("color: #8a5300;")
        self.flags.setAccessibleName("Warnings")
        self.actions_row = QHBoxLayout()
        self.detail_box = QGroupBox("Request", self)
        bl = QVBoxLayout(self.detail_box)
        bl.addWidget(self.title)
        bl.addWidget(self.flags)
        bl.addLayout(self.facts)
        bl.addLayout(self.actions_row)
        self.detail_hint = hint("Choose a request to see it and act on it.", self)
        bl.addWidget(self.detail_hint)
        bl.addStretch(1)

    def _lay_out(self) -> None:
        """Title, count and Log request over the list; the request below; and what each control does."""
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        top = heading_row("Archive requests", self, self.count, self.log_button)
        split = list_over_detail(self, self.table, self.detail_box)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(hint("Published reports come off the website after three years and stay available on "
                           "request. Each request is answered within 20 working days of its receipt.", self))
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.log_button.clicked.connect(self.log_request)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.ctx.bus.changed.connect(self._changed)
        self._show(None)

    # -- list -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the requests in the background."""
        self.loading = True
        status, text, as_of = self.status.currentData(), self.search.text(), self.ctx.as_of()
        self.ctx.ops.query(self, lambda svc: (svc.requests.all(status, text), svc.catalogue.entries(None, as_of)),
                           self._loaded, key="requests")

    def _loaded(self, got: tuple[list[RequestView], list[Any]]) -> None:
        rows, entries = got
        self.publications = [(f"{r.reference} — {r.title} "
                              f"({'archived' if r.status == CatalogueStatus.ARCHIVED else 'on the website'})", r.id)
                             for r in entries if r.status != CatalogueStatus.UNPUBLISHED]
        keep = self._pending_select or (self.current.id if self.current else None)
        self._pending_select = None
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows):,} request{'' if len(rows) == 1 else 's'}")
        self.loading = False
        if not reselect(self.table, [r.id for r in rows], keep):
            self._show(None)

    def select_id(self, request_id: int) -> None:
        """Show all requests and select one (from the dashboard)."""
        self.status.setCurrentIndex(self.status.findData(""))
        self.refresh()
        self._pending_select = request_id

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show(self.model.rows[rows[0].row()] if rows else None)

    def _changed(self, changes: Changes) -> None:
        if changes.touches("request", "catalogue", "review", "settings"):
            self.refresh()

    def _show(self, r: RequestView | None) -> None:
        self.current = r
        self.detail_hint.setVisible(r is None)
        clear_layout(self.actions_row)
        if r is None:
            self.title.setText("")
            self.flags.setText("")
            for lab in self.labels.values():
                lab.setText("")
            return
        self.title.setText(f"{r.reference} — {r.status_label}")
        flags = []
        if r.still_on_website:
            flags.append(f"Still on the website: {', '.join(r.still_on_website)} — point the requester to it.")
        if r.repeat_of:
            flags.append(f"The same address asked for this before: {', '.join(r.repeat_of)}.")
        self.flags.setText("\n".join(flags))
        self.flags.setVisible(bool(flags))
        who = f"{r.requester_name} <{r.email}>" + (f", {r.role}" if r.role else "") + (
            f", {r.organisation}" if r.organisation else "")
        finished = r.status in FINISHED_REQUESTS
        self.labels["Requester"].setText(who)
        self.labels["Received"].setText(f"{uk(r.received_date)} by {r.channel}"
                                        + (f"; acknowledged {uk(r.acknowledged_date)}" if r.acknowledged_date else ""))
        self.labels["Due"].setText(f"{uk(r.due)} — {r.rag.value}" + (
            "" if finished else f" ({days_text(self.ctx.calendar.between(self.ctx.as_of(), r.due),
                                               overdue=r.rag is Rag.OVERDUE)})"))
        self.labels["Publications"].setText("\n".join(f"{x.reference} — {x.title}" for x in r.reviews))
        self.labels["Purpose"].setText(r.purpose or "—")
        self.labels["Status"].setText(r.status_label + (f" on {uk(r.responded_date)}" if r.responded_date else "")
                                      + (f": {r.decline_reason}" if r.decline_reason else ""))
        self.labels["Disclosed"].setText("\n".join(f"{d.file_name} (SHA-256 {d.sha256[:12]}…) to {d.recipient}, "
                                                   f"{d.released_at.astimezone():%d/%m/%Y %H:%M}" for d in r.disclosures) or "—")
        for status in r.next_statuses():
            b = self.ctx.writes(QPushButton(STEP_LABELS[status], self))
            b.setObjectName(f"request-{status}")
            b.clicked.connect(lambda _c=False, s=status: self.start(s))
            self.actions_row.addWidget(b)
        self.actions_row.addStretch(1)

    # -- actions ----------------------------------------------------------------------------------------
    def log_request(self) -> FieldsDialog:
        """Open the dialog that logs a new request (returned for tests)."""
        today, cal = self.ctx.as_of(), self.ctx.calendar
        days = self.ctx.settings.amount("archive-request")
        specs = [Spec("Received", "date", today,
                      preview=lambda d: f"Answer by {uk(due_date('archive-request', d, cal, days))}"
                      if isinstance(d, dt.date) else ""),
                 Spec("Channel", "choice", "e-mail", [(c, c) for c in REQUEST_CHANNELS]),
                 Spec("Requester", "line", ""), Spec("Organisation", "line", ""), Spec("Role", "line", ""),
                 Spec("E-mail", "line", "", placeholder="name@example.org"),
                 Spec("Publications", "checklist", (), self.publications), Spec("Purpose", "text", "")]

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            data = RequestInput(x["Received"], x["Requester"], x["E-mail"], x["Publications"], x["Channel"],
                                x["Organisation"], x["Role"], x["Purpose"])
            return lambda svc: svc.requests.log(data)
        return self._dialog("Log archive request", "A request for archived publications.", specs, submit)

    def start(self, status: str) -> FieldsDialog | None:
        """Open the dialog for moving the selected request to ``status`` (returned for tests)."""
        r = self.current
        if r is None:
            return None
        today = self.ctx.as_of()
        if status == RequestStatus.CONSIDERING:
            self.ctx.ops.write(self, lambda svc: svc.requests.consider(r.id, r.version), self._done)
            return None
        if status == RequestStatus.ACKNOWLEDGED:
            return self._dialog(f"Acknowledge {r.reference}", "", [Spec("Acknowledged on", "date", today)],
                                from_fields(lambda svc, on: svc.requests.acknowledge(r.id, r.version, on),
                                            "Acknowledged on"))
        if status == RequestStatus.DECLINED:
            return self._dialog(f"Decline {r.reference}", "The reason is recorded and told to the requester.",
                                [Spec("Responded on", "date", today), Spec("Reason", "text", "")],
                                from_fields(lambda svc, on, why: svc.requests.decline(r.id, r.version, on, why),
                                            "Responded on", "Reason"))
        if status == RequestStatus.WITHDRAWN:
            return self._dialog(f"Record withdrawal of {r.reference}", "The requester no longer wants the "
                                "publications; the request's clock stops.", [Spec("Withdrawn on", "date", today)],
                                from_fields(lambda svc, on: svc.requests.withdraw(r.id, r.version, on),
                                            "Withdrawn on"))
        review_ids = [x.id for x in r.reviews]
        self.ctx.ops.query(self, lambda svc: [d for rid in review_ids for d in svc.documents.for_review(rid)],
                           lambda docs: self._fulfil(r, docs), key="documents")
        return None

    def _fulfil(self, r: RequestView, documents: list[Any]) -> FieldsDialog:
        """The fulfilment dialog, once the request's documents are read."""
        docs = [(f"{d.kind_label}: {d.title} ({d.file_name})", d.id) for d in documents]
        folder = data_dir() / "releases"

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            chosen, into, sent = list(x["Documents"]), Path(x["Release folder"]), x["Sent on"]
            return lambda svc: svc.fulfilment.fulfil(r.id, r.version, chosen, into, sent)
        return self._dialog(
            f"Fulfil {r.reference}", "Writes a release folder with the documents, a cover letter listing each "
            "document's SHA-256 and an e-mail draft to open and send from your mail program. Nothing is sent from "
            "here.", [Spec("Documents", "checklist", tuple(i for _, i in docs), docs),
                      Spec("Release folder", "line", str(folder)), Spec("Sent on", "date", self.ctx.as_of())],
            submit)

    def _dialog(self, title: str, intro: str, specs: list[Spec], submit: Any) -> FieldsDialog:
        dlg = FieldsDialog(self.ctx, title, intro, specs, submit, self._done, self.refresh, self)
        self.dialog = dlg
        dlg.open()
        return dlg

    def _done(self, op: Op[Any]) -> None:
        if isinstance(op.value, RequestView):
            self.current = op.value
        else:  # a release: say where it is and open the folder
            self.last_release = op.value
            errors.information(self, "Release written",
                               f"The release is in {op.value.folder}.\n\nOpen “{op.value.draft.name}” in your mail "
                               "program, check it and send it.")
            open_file(op.value.folder)
