"""The incident register page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from bscp_desktop.dates import uk
from bscp_desktop.rules import RULES
from bscp_desktop.ui.pages.register import RegisterPage, rag_column
from bscp_desktop.ui.table_model import Column
from bscp_desktop.vocab import DECISIONS, HARMS, STAGES


def _rule(r: Any) -> str:
    return RULES[r.next_rule].short_label if r.next_rule else ""


class IncidentsPage(RegisterPage):
    """Every incident, filterable by text, stage, RAG and financial year."""

    entity = "incident"
    title = "Incidents"
    new_record = Signal()

    def columns(self) -> list[Column]:
        return [
            Column("ref", "Reference", lambda r: r.local_ref, 115),
            Column("pseudonym", "Children", lambda r: r.children, 110),
            Column("harm", "Harm", lambda r: HARMS.get(r.harm, r.harm), 120),
            Column("age", "Age band", lambda r: r.age_band, 80, hidden=True),
            Column("aware", "Became aware", lambda r: uk(r.became_aware), 105),
            Column("notified", "Notified", lambda r: uk(r.notified_date), 90, hidden=True),
            Column("rr_sent", "Rapid Review sent", lambda r: uk(r.rr_sent), 125, hidden=True),
            Column("decision", "Decision", lambda r: DECISIONS.get(r.decision, r.decision), 150, hidden=True),
            Column("stage", "Stage", lambda r: STAGES.get(r.stage, r.stage), 150),
            Column("next", "Next clock", _rule, 130),
            Column("due", "Due", lambda r: uk(r.next_due), 90),
            rag_column(),
            Column("officer", "Lead officer", lambda r: r.lead_officer, 130, hidden=True),
        ]

    def stage_choices(self) -> list[tuple[str, Any]]:
        return [("Open cases", "open"), ("All stages", "")] + [(label, key) for key, label in STAGES.items()]

    def extra_buttons(self, layout: QHBoxLayout) -> None:
        self.new_button = self.ctx.writes(QPushButton("New incident…", self))
        self.new_button.setAccessibleName("Register a new incident")
        self.new_button.setToolTip("Register a new incident (Ctrl+N)")
        self.new_button.clicked.connect(self.new_record.emit)
        layout.addWidget(self.new_button)
