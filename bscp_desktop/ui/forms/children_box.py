"""The children of an incident on its form: a list with Add, Edit and Remove, each child edited in a dialog
of its pseudonym and the characteristics the Panel asks for. The list is part of the incident's details and is
saved with them (one write), so an edit is never half-saved."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.notification import SERIOUS_HARM
from bscp_desktop.domain.vocab import AGE_BANDS, ETHNICITIES, HARMS, SEXES, Answer, PlanStatus
from bscp_desktop.services.incidents.children import MAX_CHILDREN, ChildInput
from bscp_desktop.ui.widgets.common import FieldError, hint, record_table

COLUMNS = ("Pseudonym", "Harm", "Age band", "Looked after")  # the rest in each row's tooltip and the dialog


def _combo(parent: QWidget, name: str, items: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(name)
    for label, value in items:
        box.addItem(label, value)
    return box


def _choose(box: QComboBox, value: str) -> None:
    box.setCurrentIndex(max(0, box.findData(value)))


def _describe(c: ChildInput) -> str:
    """Every detail of a child, one per line (the list's tooltip)."""
    return "\n".join((
        f"{c.pseudonym}: {HARMS.get(c.harm, c.harm)}", f"Age band: {c.age_band or 'not recorded'}",
        f"Sex: {c.sex or 'not recorded'}", f"Ethnicity: {c.ethnicity or 'not recorded'}",
        f"Disability: {Answer.labels().get(c.disability, c.disability)}",
        f"Looked after: {Answer.labels().get(c.looked_after, c.looked_after)}",
        f"Child protection plan: {PlanStatus.labels().get(c.cp_plan, c.cp_plan)}",
        f"Child in need plan: {PlanStatus.labels().get(c.cin_plan, c.cin_plan)}",
        f"Known to services: {Answer.labels().get(c.known_to_services, c.known_to_services)}",
        f"Home local authority: {c.home_local_authority or 'the same'}"))


class ChildDialog(QDialog):
    """One child's details. OK is refused (with the reason under the field) without a pseudonym."""

    def __init__(self, child: ChildInput | None, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        f = QFormLayout()
        self.pseudonym = QLineEdit(self)
        self.pseudonym.setAccessibleName("Pseudonym")
        self.pseudonym.setPlaceholderText("Child A — a pseudonym, never a real name")
        self.pseudonym_error = FieldError(self)
        self.harm = _combo(self, "Harm", [(label, k) for k, label in HARMS.items()])
        self.harm.setToolTip(SERIOUS_HARM)
        self.harm.setAccessibleDescription(SERIOUS_HARM)
        self.harm_help = hint(SERIOUS_HARM, self)  # read beside the field, by the keyboard and a screen reader too
        self.harm_help.setWordWrap(True)
        self.age_band = _combo(self, "Age band", [("", ""), *((a, a) for a in AGE_BANDS)])
        self.sex = _combo(self, "Sex", [("", ""), *((s.capitalize(), s) for s in SEXES)])
        self.ethnicity = QComboBox(self)
        self.ethnicity.setEditable(True)
        self.ethnicity.setAccessibleName("Ethnicity")
        self.ethnicity.addItems(["", *ETHNICITIES])
        answers = [(a.label, a.value) for a in Answer]
        plans = [(p.label, p.value) for p in PlanStatus]
        self.disability = _combo(self, "Disability", answers)
        self.looked_after = _combo(self, "Looked after", answers)
        self.cp_plan = _combo(self, "Child protection plan", plans)
        self.cin_plan = _combo(self, "Child in need plan", plans)
        self.known = _combo(self, "Known to services", answers)
        self.home = QLineEdit(self)
        self.home.setAccessibleName("Home local authority")
        self.home.setPlaceholderText("blank: the authority where the incident happened")
        f.addRow("Pseudonym:", self.pseudonym)
        f.addRow("", self.pseudonym_error)
        for label, w in (("Harm", self.harm), ("Age band", self.age_band), ("Sex", self.sex),
                         ("Ethnicity", self.ethnicity), ("Disability", self.disability),
                         ("Looked after", self.looked_after), ("Child protection plan", self.cp_plan),
                         ("Child in need plan", self.cin_plan), ("Known to children's social care or other agencies",
                                                                 self.known),
                         ("Home local authority", self.home)):
            f.addRow(f"{label}:", w)
            if w is self.harm:
                f.addRow("", self.harm_help)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(f)
        lay.addWidget(buttons)
        if child is not None:
            self._show(child)

    def _show(self, child: ChildInput) -> None:
        """Fill the fields with ``child``'s details (editing a child already on the list)."""
        self.pseudonym.setText(child.pseudonym)
        for box, value in ((self.harm, child.harm), (self.age_band, child.age_band), (self.sex, child.sex),
                           (self.disability, child.disability), (self.looked_after, child.looked_after),
                           (self.cp_plan, child.cp_plan), (self.cin_plan, child.cin_plan),
                           (self.known, child.known_to_services)):
            _choose(box, value)
        self.ethnicity.setCurrentText(child.ethnicity)
        self.home.setText(child.home_local_authority)

    def child(self) -> ChildInput:
        """The child as the dialog holds it."""
        return ChildInput(self.pseudonym.text().strip(), self.harm.currentData(), self.age_band.currentData() or "",
                          self.sex.currentData() or "", self.ethnicity.currentText().strip(),
                          self.disability.currentData(), self.looked_after.currentData(), self.cp_plan.currentData(),
                          self.cin_plan.currentData(), self.known.currentData(), self.home.text().strip())

    def accept(self) -> None:
        if not self.pseudonym.text().strip():
            self.pseudonym_error.show_message("Pseudonym: is required: use a pseudonym such as 'Child A', never a "
                                              "real name")
            self.pseudonym.setFocus()
            return
        super().accept()


class ChildrenBox(QWidget):
    """The list of an incident's children with Add, Edit and Remove; ``changed`` when the list changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Children")
        self._children: list[ChildInput] = []
        self.table = record_table(self, "Children", COLUMNS, 0, (110, 115, 70, 90))
        self.table.doubleClicked.connect(lambda _i: self.edit_child())
        self.read_only = False
        self.add_button = QPushButton("Add child…", self)
        self.edit_button = QPushButton("Edit child…", self)
        self.remove_button = QPushButton("Remove child", self)
        self.add_button.clicked.connect(lambda: self.add_child())
        self.edit_button.clicked.connect(lambda: self.edit_child())
        self.remove_button.clicked.connect(self.remove_child)
        self.table.itemSelectionChanged.connect(self._enable)
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(row)
        lay.addWidget(hint("Siblings harmed together go on one notification, each by pseudonym. The register shows "
                           "the first child and how many more.", self))
        self.dialog: ChildDialog | None = None
        self._show()

    def child_inputs(self) -> tuple[ChildInput, ...]:
        """The children, in order."""
        return tuple(self._children)

    def set_children(self, children: tuple[ChildInput, ...] | list[ChildInput]) -> None:
        """Show ``children`` (no ``changed``: the form is loading)."""
        self._children = list(children)
        self._show()

    def add_child(self) -> ChildDialog:
        """Open the dialog for a new child (returned for tests); OK adds it to the end of the list."""
        n = len(self._children) + 1
        harm = self._children[0].harm if self._children else next(iter(HARMS))
        self.dialog = ChildDialog(ChildInput("", harm), f"Child {n} of the notification", self)
        self.dialog.accepted.connect(lambda: self._set(None, self.dialog.child() if self.dialog else None))
        self.dialog.open()
        return self.dialog

    def edit_child(self) -> ChildDialog | None:
        """Open the dialog for the selected child (returned for tests); OK replaces it."""
        row = self._selected()
        if row is None or self.read_only:
            return None
        self.dialog = ChildDialog(self._children[row], f"Child {row + 1} of the notification", self)
        self.dialog.accepted.connect(lambda: self._set(row, self.dialog.child() if self.dialog else None))
        self.dialog.open()
        return self.dialog

    def remove_child(self) -> None:
        """Take the selected child off the list (a notification keeps at least one)."""
        row = self._selected()
        if row is None or len(self._children) <= 1:
            return
        del self._children[row]
        self._show()
        self.changed.emit()

    def _set(self, row: int | None, child: ChildInput | None) -> None:
        if child is None:
            return
        if row is None:
            self._children.append(child)
        else:
            self._children[row] = child
        self._show()
        self.table.selectRow(len(self._children) - 1 if row is None else row)
        self.changed.emit()

    def _selected(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _show(self) -> None:
        self.table.setRowCount(len(self._children))
        for r, c in enumerate(self._children):
            values = (c.pseudonym, HARMS.get(c.harm, c.harm), c.age_band or "—",
                      Answer.labels().get(c.looked_after, ""))
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(_describe(c))
                self.table.setItem(r, col, item)
        rows = min(max(len(self._children), 2), 6)  # the list grows with the children, to six rows, then scrolls
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + rows * self.table.verticalHeader().defaultSectionSize() + 2 * self.table.frameWidth() + 2)
        self._enable()

    def set_read_only(self) -> None:
        """For a role that may not change the record: the children stay listed (each child's details in its
        row's tooltip); adding, changing and removing are off."""
        self.read_only = True
        self._enable()

    def _enable(self) -> None:
        selected = self._selected() is not None and not self.read_only
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected and len(self._children) > 1)
        self.add_button.setEnabled(len(self._children) < MAX_CHILDREN and not self.read_only)
