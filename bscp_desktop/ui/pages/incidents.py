"""The incident register page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from bscp_desktop.domain.vocab import STAGES
from bscp_desktop.services.registers.columns import Column, incident_columns
from bscp_desktop.ui.pages.register import RegisterPage


class IncidentsPage(RegisterPage):
    """Every incident, filterable by text, stage, RAG and financial year."""

    entity = "incident"
    title = "Incidents"
    new_record = Signal()

    def columns(self) -> list[Column]:
        return incident_columns()

    def stage_choices(self) -> list[tuple[str, Any]]:
        return [("Open cases", "open"), ("All stages", "")] + [(label, key) for key, label in STAGES.items()]

    def extra_buttons(self, layout: QHBoxLayout) -> None:
        self.new_button = self.ctx.writes(QPushButton("New incident…", self))
        self.new_button.setAccessibleName("Register a new incident")
        self.new_button.setToolTip("Register a new incident (Ctrl+N)")
        self.new_button.clicked.connect(self.new_record.emit)
        layout.addWidget(self.new_button)
