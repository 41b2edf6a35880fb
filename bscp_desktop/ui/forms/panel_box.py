"""The incident form's "For the Panel's notification form" group: where and when the incident happened, an
outline of the case for the Panel, and who notified (``services.panel_details``)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from bscp_desktop.domain.vocab import IncidentLocation, LocationType
from bscp_desktop.services.incidents.panel_details import LABELS, PanelDetails
from bscp_desktop.ui.forms.fields import FieldRow, add_field
from bscp_desktop.ui.widgets.common import hint


class PanelDetailsBox(QGroupBox):
    """The details the Panel's online form asks beyond the children and the dates."""

    def __init__(self, fields: dict[str, FieldRow], parent: QWidget | None = None) -> None:
        super().__init__("For the Panel's notification form", parent)
        self.location = QComboBox(self)
        self.location_type = QComboBox(self)
        for combo, vocabulary in ((self.location, IncidentLocation), (self.location_type, LocationType)):
            combo.addItem("", "")
            for item in vocabulary:
                combo.addItem(item.label, item.value)
        self.place = QLineEdit(self)
        self.place.setPlaceholderText("the town (and country, outside England); never an address")
        self.incident_time = QLineEdit(self)
        self.incident_time.setPlaceholderText("HH:MM, when known")
        self.incident_time.setMaxLength(5)
        self.case_outline = QPlainTextEdit(self)
        self.case_outline.setTabChangesFocus(True)
        self.case_outline.setFixedHeight(self.case_outline.fontMetrics().height() * 5 + 12)
        self.notifier = {key: QLineEdit(self) for key in ("notifier_name", "notifier_role", "notifier_phone",
                                                          "notifier_email")}
        form = self.form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, widget in (("location", self.location), ("location_type", self.location_type),
                            ("place", self.place), ("incident_time", self.incident_time),
                            ("case_outline", self.case_outline), *self.notifier.items()):
            add_field(form, fields, LABELS[key], widget)
        lay = QVBoxLayout(self)
        lay.addWidget(hint("The duty covers a child normally resident in the area who dies or is seriously harmed "
                           "elsewhere, outside England too. The outline is what the Panel reads: the notes above "
                           "stay internal.", self))
        lay.addLayout(form)

    def details(self) -> PanelDetails:
        """What the group holds."""
        return PanelDetails(
            location=self.location.currentData() or "", location_type=self.location_type.currentData() or "",
            place=self.place.text(), incident_time=self.incident_time.text(),
            case_outline=self.case_outline.toPlainText(),
            **{key: edit.text() for key, edit in self.notifier.items()})

    def show_details(self, p: PanelDetails) -> None:
        """Show ``p``."""
        self.location.setCurrentIndex(max(0, self.location.findData(p.location)))
        self.location_type.setCurrentIndex(max(0, self.location_type.findData(p.location_type)))
        self.place.setText(p.place)
        self.incident_time.setText(p.incident_time)
        self.case_outline.setPlainText(p.case_outline)
        for key, edit in self.notifier.items():
            edit.setText(getattr(p, key))
