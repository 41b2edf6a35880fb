"""Tools › Audit log: who changed what and when, with each change's values before and after, in words (the
record by its reference, fields by their labels, UK dates, lists as text); the values as recorded are a tick
away. Read-only; searching runs in the background."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.services.trust.audit_log import AuditPage, AuditView
from bscp_desktop.store.audit_chain import ChainReport
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import (
    fit_on_screen,
    hint,
    leads_to,
    list_over_detail,
    make_combo,
    refill,
    row_table,
    search_field,
)
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.ui.widgets.table_model import ListTableModel
from bscp_desktop.util.dates import uk
from bscp_desktop.util.words import counted


def when(e: AuditView) -> str:
    """The moment of a change in local time, ``22/11/2026 14:05``."""
    local = e.at.astimezone()
    return f"{uk(local.date())} {local:%H:%M}"


def shown(value: Any) -> str:
    """A value as recorded (the raw view)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class AuditModel(ListTableModel):
    """Audit entries, newest first."""

    HEADERS = ("When", "Who", "What", "Record", "Summary")

    def cells(self, row: Any) -> tuple[str, ...]:
        e: AuditView = row
        return (when(e), e.user, e.action.capitalize(), e.record, e.summary)


class AuditDialog(QDialog):
    """Search the audit log by text, person and dates; the selected change's values show below."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.setWindowTitle("Audit log")
        fit_on_screen(self, 1100, 680)
        self.search = search_field(self, "Find in the audit log", "Find: action, reference, summary…")
        self.user = make_combo(self, "Person", [("Everyone", "")])
        self.start = DateField("From", self)
        self.end = DateField("To", self)
        self.count = QLabel(self)
        self.chain = QLabel("Checking the audit log's hash chain…", self)
        self.chain.setAccessibleName("Audit log chain")
        self.chain.setWordWrap(True)
        self.model = AuditModel()
        self.table = row_table(self, self.model, "Audit entries")
        leads_to(self.search, self.table)
        for i, w in enumerate((125, 110, 170, 150)):
            self.table.setColumnWidth(i, w)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("The change's values")
        self.detail.setPlaceholderText("Choose a change to see its values before and after.")
        self.raw = QCheckBox("Show the values as recorded", self)
        self.raw.setToolTip("The field names and values exactly as the audit log holds them, for an auditor")
        self._lay_out()
        self._connect()
        self.ctx.ops.query(self, lambda svc: svc.audit_log.users(),
                           lambda users: refill(self.user, [(u, u) for u in users], "Everyone"))
        self.ctx.ops.query(self, lambda svc: svc.audit_log.verify(), self._show_chain)
        self.refresh()

    def _lay_out(self) -> None:
        """The chain's state, the filters, the entries over the selected entry's values, and Close."""
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.user, 1)
        bar.addWidget(QLabel("From:", self))
        bar.addWidget(self.start)
        bar.addWidget(QLabel("To:", self))
        bar.addWidget(self.end)
        below = QWidget(self)
        bl = QVBoxLayout(below)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.detail, 1)
        bl.addWidget(self.raw)
        split = list_over_detail(self, self.table, below, detail_share=1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(hint("Every change is recorded with who made it and when; entries are never edited or "
                           "removed, and each is chained to the one before by its hash, so a change made outside "
                           "the program shows. Times are local.", self))
        lay.addWidget(self.chain)
        lay.addLayout(bar)
        lay.addWidget(self.count)
        lay.addWidget(split, 1)
        lay.addWidget(buttons)

    def _connect(self) -> None:
        """Search again as the filters change (typing waits a quarter of a second); show the selected entry."""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.user.currentIndexChanged.connect(lambda _i: self.refresh())
        for d in (self.start, self.end):
            d.changed.connect(lambda _v: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_detail())
        self.raw.toggled.connect(lambda _on: self._show_detail())

    def _show_chain(self, chain: ChainReport) -> None:
        """Say whether every entry is as it was written: verified to entry N, or where the chain breaks."""
        if chain.ok:
            last = f" (entry {chain.verified_to})" if chain.verified_to else ""
            self.chain.setText(f"✔ Verified: all {counted(chain.entries, 'entry', 'entries')} are as written, "
                               f"to the newest{last}. Head hash {chain.head[:16]}…")
            self.chain.setStyleSheet("color: #1b5e20")
        else:
            to = f"verified to entry {chain.verified_to}" if chain.verified_to else "no entry could be verified"
            self.chain.setText(f"✘ The audit log was altered outside the program: {chain.problem} ({to}). Tell your "
                               "information governance officer; the register's data itself is not changed by this.")
            self.chain.setStyleSheet("color: #b00020; font-weight: bold")

    def refresh(self) -> None:
        """Search again with the filters on screen (in the background)."""
        if self.start.error() or self.end.error():
            self.count.setText("Dates: use DD/MM/YYYY")
            return
        text, user, start, end = self.search.text(), self.user.currentData() or "", self.start.value(), self.end.value()
        self.loading = True
        self.ctx.ops.query(self, lambda svc: svc.audit_log.find(text, user, start, end), self._loaded, key="search")

    def _loaded(self, page: AuditPage) -> None:
        self.model.set_rows(list(page.entries))
        if page.total > len(page.entries):
            self.count.setText(f"The newest {len(page.entries):,} of {counted(page.total, 'change')}: narrow the "
                               "search to see older ones.")
        else:
            self.count.setText(counted(page.total, "change"))
        self.detail.clear()
        self.loading = False

    def _show_detail(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.detail.clear()
            return
        e: AuditView = self.model.rows[rows[0].row()]
        if self.raw.isChecked():
            lines = [f"{e.at.isoformat()} · {e.user} · {e.action} · {e.entity} {e.entity_id}", e.summary, ""]
            lines += [f"{field}: {shown(before)} → {shown(after)}" for field, before, after in e.changes()]
        else:
            lines = [f"{when(e)} · {e.user} · {e.action.capitalize()} · {e.record}", e.summary, ""]
            lines += [f"{label}: {before} → {after}" for label, before, after in e.changes_in_words()]
        if not e.changes():
            lines.append("No values were recorded with this change.")
        self.detail.setPlainText("\n".join(lines))

