"""Settings: the partnership's name and reference prefixes, the protective marking for printouts, the amber
window, each rule's amount beside its default and basis, closure days, agencies, users and their roles, the
retention schedule, the bank holidays of a chosen year, and where the data and backups are."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.rules import RULES
from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import Op, ValidationError
from bscp_desktop.services.partnership.settings import MARKINGS, ClosureView, PartnershipSettings
from bscp_desktop.store.engine import database_setting, resolve_url
from bscp_desktop.ui.dialogs.screen_lock import lock_minutes, lock_minutes_setting, set_lock_minutes
from bscp_desktop.ui.forms.fields import FieldRow, add_field, set_read_only
from bscp_desktop.ui.pages.agencies import AgenciesBox
from bscp_desktop.ui.pages.retention import RetentionScheduleBox
from bscp_desktop.ui.pages.settings_calendar import CalendarParts
from bscp_desktop.ui.pages.users_box import UsersBox
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import FieldError, heading, hint
from bscp_desktop.util.dates import uk
from bscp_desktop.util.machine_config import MAX_LOCK_MINUTES, locked
from bscp_desktop.util.paths import backup_dir, backup_dir_setting, data_dir, data_dir_setting, log_dir


def register_source(url: str) -> str:
    """Where the open register's address came from: the one this PC would open by itself, or ``--db``."""
    setting = database_setting()
    return f"from {setting.source}" if resolve_url(setting.value) == url else "from the command line (--db)"


class SettingsPage(CalendarParts, QWidget):
    """Partnership settings, rule amounts, closure days and bank holidays; encryption and the screen lock."""

    lock_minutes_changed = Signal(int)
    encrypt_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.fields: dict[str, FieldRow] = {}
        self.current: PartnershipSettings | None = None
        self.closures: list[ClosureView] = []
        self._lay_out(self._partnership_box(), self._rules_box(), self._closures_box(), self._holidays_box(),
                      self._folders_box(), self._privacy_box())
        self._read_only_unless_admin()
        ctx.bus.changed.connect(lambda ch: self.refresh() if ch.touches("settings") else None)

    def _partnership_box(self) -> QGroupBox:
        """The partnership's name, prefixes, marking, addresses and amber window."""
        general = QFormLayout()
        self.name = QLineEdit(self)
        self.review_prefix = QLineEdit(self)
        self.incident_prefix = QLineEdit(self)
        self.marking = QComboBox(self)
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.local_authority = QLineEdit(self)
        self.address = QLineEdit(self)
        self.email = QLineEdit(self)
        self.notifier = {key: QLineEdit(self) for key in ("notifier_name", "notifier_role", "notifier_phone",
                                                          "notifier_email")}
        self.amber = QSpinBox(self)
        self.amber.setRange(0, 20)
        self.amber.setSuffix(" working days")
        for label, w in (("Partnership name", self.name), ("Review reference prefix", self.review_prefix),
                         ("Incident reference prefix", self.incident_prefix), ("Protective marking", self.marking),
                         ("Local authority", self.local_authority), ("Address", self.address),
                         ("E-mail", self.email), ("Notifier's name", self.notifier["notifier_name"]),
                         ("Notifier's role", self.notifier["notifier_role"]),
                         ("Notifier's telephone", self.notifier["notifier_phone"]),
                         ("Notifier's e-mail", self.notifier["notifier_email"]), ("Amber window", self.amber)):
            add_field(general, self.fields, label, w)
        gbox = QGroupBox("Partnership", self)
        gbox.setLayout(general)
        return gbox


    def _rules_box(self) -> QGroupBox:
        """Each statutory clock's amount beside its default, start and basis."""
        self.rules = QTableWidget(len(RULES), 5, self)
        self.rules.setAccessibleName("Rule amounts")
        self.rules.setHorizontalHeaderLabels(("Rule", "Amount", "Default", "Clock starts at", "Basis"))
        self.rules.verticalHeader().setVisible(False)
        self.rules.setWordWrap(True)
        self.rules.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rules.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.rules.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 100), (2, 135)):
            self.rules.setColumnWidth(column, width)
        self.amount_spins: dict[str, QSpinBox] = {}
        for r, rule in enumerate(RULES.values()):
            spin = QSpinBox(self.rules)
            spin.setRange(1, rule.max_amount)
            spin.setAccessibleName(f"Amount for {rule.label}")
            spin.setToolTip(rule.unit.value)
            self.amount_spins[rule.id] = spin
            self.rules.setCellWidget(r, 1, spin)
            for c, text in ((0, rule.label), (2, rule.describe()), (3, rule.starts), (4, rule.basis)):
                item = QTableWidgetItem(text)
                if c:
                    item.setToolTip(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)  # read-only
                self.rules.setItem(r, c, item)
        row_h = self.rules.fontMetrics().height() * 2 + 8  # two lines: the longest label wraps once
        for r in range(len(RULES)):
            self.rules.setRowHeight(r, row_h)
        self.rules.setFixedHeight(self.rules.horizontalHeader().sizeHint().height() + len(RULES) * row_h + 4)
        self.rules_error = FieldError(self)
        rbox = QGroupBox("Statutory clocks", self)
        rl = QVBoxLayout(rbox)
        rl.addWidget(hint("Amounts are settings: a change is audited and every due date is recomputed. "
                          "Working days exclude weekends, England & Wales bank holidays and closure days.", self))
        rl.addWidget(self.rules)
        rl.addWidget(hint("LCSPR publication: while a hold for parallel proceedings (criminal, inquest, family) is "
                          "in force the clock reads On hold; when lifted, the target moves on by the calendar days "
                          "held, from the day the hold started up to the day it was lifted.", self))
        rl.addWidget(self.rules_error)
        self.save_button = self.ctx.writes(QPushButton("Save settings", self), needs=Role.ADMIN)
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel(self)
        return rbox

    def _folders_box(self) -> QGroupBox:
        """Where the register, backups and logs are, and where each of those came from (the command line, IT's
        settings file for this PC, the environment or the program's default: ``util.machine_config``)."""
        self.db_label = QLabel(f"{self.ctx.register_name}\n{register_source(self.ctx.register_url)}", self)
        data, backups = data_dir_setting(), backup_dir_setting()
        self.data_label = QLabel(f"{data_dir()}\nfrom {data.source}", self)
        self.backup_label = QLabel(f"{backup_dir()}\nfrom {backups.source}", self)
        self.log_label = QLabel(str(log_dir()), self)
        for lab in (self.db_label, self.data_label, self.backup_label, self.log_label):
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lab.setWordWrap(True)
        return self._form_box("Where data lives", [
            ("Database:", self.db_label), ("Data folder:", self.data_label),
            ("Backups (daily, and before each upgrade):", self.backup_label), ("Log folder:", self.log_label)])

    def _form_box(self, title: str, rows: list[tuple[str, QWidget]]) -> QGroupBox:
        """A titled box of labelled rows."""
        form = QFormLayout()
        for label, widget in rows:
            form.addRow(label, widget)
        box = QGroupBox(title, self)
        box.setLayout(form)
        return box

    def _privacy_box(self) -> QGroupBox:
        """Whether the register is encrypted at rest (and how to change that), and when the window locks."""
        self.encryption_label = QLabel("…", self)
        self.encryption_label.setWordWrap(True)
        self.encryption_label.setAccessibleName("Encryption")
        self.encryption_hint = QLabel("", self)
        self.encryption_hint.setWordWrap(True)
        self.encryption_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lock_minutes = QSpinBox(self)
        self.lock_minutes.setRange(0, MAX_LOCK_MINUTES)
        self.lock_minutes.setSpecialValueText("Never")
        self.lock_minutes.setSuffix(" minutes")
        self.lock_minutes.setAccessibleName("Lock the window after")
        self.lock_minutes.setValue(lock_minutes())
        if locked("privacy.lock_minutes"):  # IT set it for everyone on this PC: shown, not changed
            self.lock_minutes.setReadOnly(True)
            self.lock_minutes.setAccessibleDescription(f"Set by {lock_minutes_setting().source}")
        self.lock_minutes_source = hint(f"From {lock_minutes_setting().source}.", self)
        self.lock_minutes.setToolTip("A setting of this PC: the window shows no child's data after this many "
                                     "minutes without use, until you come back")
        self.lock_minutes.valueChanged.connect(self._lock_minutes_set)
        self.encrypt_button = self.ctx.writes(QPushButton("Encrypt this register…", self), needs=Role.ADMIN)
        self.encrypt_button.setToolTip("Encrypt the register and its backup copies now: the window closes and "
                                       "opens the register again")
        self.encrypt_button.hide()
        self.encrypt_button.clicked.connect(self.encrypt_requested.emit)
        pbox = self._form_box("Privacy", [("Encryption:", self.encryption_label), ("", self.encryption_hint),
                                          ("", self.encrypt_button), ("Lock the window after:", self.lock_minutes),
                                          ("", self.lock_minutes_source)])
        self.ctx.ops.query(self, lambda svc: (svc.register_state()[1], svc.audit_log.is_demo()), self._show_encryption)
        return pbox

    def _show_encryption(self, state_of: tuple[str, bool]) -> None:
        state, demo = state_of
        path = self.ctx.register_name
        plain = state.startswith("not encrypted")
        self.encrypt_button.setVisible(plain and not demo)
        if plain and demo:  # as README says: the demo holds only fictional cases and stays plain
            self.encryption_label.setText("Not encrypted: this is the demo database, which holds only fictional "
                                          "cases and stays plain.")
            self.encryption_hint.setText("Your own register (opened without --demo) is created encrypted.")
        else:
            self.encryption_label.setText(state[0].upper() + state[1:] + ".")
        if plain and not demo:
            self.encryption_hint.setText(
                "Encrypt it here, or close bscp-desktop on every PC that uses it and run "
                f"<code>bscp-desktop encrypt --db \"{path}\"</code> (add <code>--passphrase</code> to open it with a "
                "passphrase instead of a key kept on this PC). Its backup copies are encrypted too.")
        elif state.startswith("encrypted"):
            self.encryption_hint.setText(
                "To change its passphrase, or move its key between this PC's credential store and a passphrase, "
                f"close bscp-desktop and run <code>bscp-desktop rekey --db \"{path}\"</code>.")
        self.encryption_hint.setVisible(bool(self.encryption_hint.text()))

    def _lock_minutes_set(self, minutes: int) -> None:
        set_lock_minutes(minutes)
        self.lock_minutes_source.setText(f"From {lock_minutes_setting().source}.")
        self.lock_minutes_changed.emit(minutes)

    def _lay_out(self, gbox: QGroupBox, rbox: QGroupBox, cbox: QGroupBox, hbox: QGroupBox, fbox: QGroupBox,
                 pbox: QGroupBox) -> None:
        """The boxes in a scrolling page: partnership and closures, clocks and the retention schedule, Save,
        agencies, users, holidays, folders and privacy."""
        top = QHBoxLayout()
        top.addWidget(gbox, 3)
        top.addWidget(cbox, 2)
        srow = QHBoxLayout()
        srow.addWidget(self.save_button)
        srow.addWidget(self.saved_label, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(hbox, 2)
        right = QVBoxLayout()
        right.addWidget(fbox)
        right.addWidget(pbox)
        right.addStretch(1)
        bottom.addLayout(right, 3)
        inner = QWidget(self)
        il = QVBoxLayout(inner)
        il.addWidget(heading("Settings", inner))
        self.read_only_note = hint("", inner)
        self.read_only_note.setAccessibleName("Why these settings cannot be changed")
        self.read_only_note.hide()
        il.addWidget(self.read_only_note)
        il.addLayout(top)
        il.addWidget(rbox)
        self.retention = RetentionScheduleBox(inner)
        il.addWidget(self.retention)
        il.addLayout(srow)
        self.agencies = AgenciesBox(self.ctx, inner)
        il.addWidget(self.agencies)
        self.users = UsersBox(self.ctx, inner)
        il.addWidget(self.users)
        il.addLayout(bottom, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        self.scroll_area = scroll
        QVBoxLayout(self).addWidget(scroll)

    def _read_only_unless_admin(self) -> None:
        """For a role below administrator (or a register open read-only): the partnership's settings, the clocks'
        amounts, the retention schedule and the closure day being typed read but do not edit, from the start,
        and a line under the heading says why and whom to ask. The window's lock (a setting of this PC, not of
        the register) stays the user's own."""
        refusal = self.ctx.refusal(Role.ADMIN)
        self.read_only_note.setText(f"You can read these settings but not change them. {refusal}" if refusal else "")
        self.read_only_note.setVisible(refusal is not None)
        if refusal is None:
            return
        spins = [*self.amount_spins.values(), *self.retention.spins.values(), self.retention.copy_days]
        for widget in [row.widget for row in self.fields.values()] + spins:
            if isinstance(widget, QSpinBox | QLineEdit):
                widget.setReadOnly(True)  # still read, selected and copied
            else:
                set_read_only(widget)
        set_read_only(self.closure_date)
        self.closure_desc.setReadOnly(True)

    def scroll_to(self, box: QWidget) -> None:
        """Scroll the page so that ``box`` (the users, the retention schedule…) is in view."""
        self.scroll_area.ensureWidgetVisible(box, 0, 0)

    def refresh(self) -> None:
        """Read settings and closure days in the background."""
        self.loading = True
        self.ctx.ops.query(self, lambda svc: (svc.settings.get(), svc.settings.closures()), self._show,
                           key="settings")
        self.agencies.refresh()
        self.users.refresh()

    def _show(self, data: tuple[PartnershipSettings, list[ClosureView]]) -> None:
        s, closures = data
        self.current, self.closures = s, closures
        self.name.setText(s.partnership_name)
        self.review_prefix.setText(s.review_prefix)
        self.incident_prefix.setText(s.incident_prefix)
        self.marking.setCurrentText(s.protective_marking)
        self.local_authority.setText(s.local_authority)
        self.address.setText(s.address)
        self.email.setText(s.email)
        for key, edit in self.notifier.items():
            edit.setText(getattr(s, key))
        self.amber.setValue(s.amber_days)
        for rid, spin in self.amount_spins.items():
            spin.setValue(s.amount(rid))
        self.retention.show_years(s.retention_years)
        self.retention.copy_days.setValue(s.copy_days)
        self.closure_table.setRowCount(len(closures))
        for r, c in enumerate(closures):
            self.closure_table.setItem(r, 0, QTableWidgetItem(f"{c.day:%a} {uk(c.day)}"))
            self.closure_table.setItem(r, 1, QTableWidgetItem(c.description))
        self.show_holidays()
        self.loading = False

    def values(self) -> PartnershipSettings:
        """The settings the page shows."""
        assert self.current is not None
        return dataclasses.replace(
            self.current, partnership_name=self.name.text().strip(), review_prefix=self.review_prefix.text().strip(),
            incident_prefix=self.incident_prefix.text().strip(), protective_marking=self.marking.currentText().strip(),
            local_authority=self.local_authority.text().strip(), address=self.address.text().strip(),
            email=self.email.text().strip(), amber_days=self.amber.value(),
            **{key: edit.text().strip() for key, edit in self.notifier.items()},
            rule_amounts={rid: spin.value() for rid, spin in self.amount_spins.items()},
            retention_years=self.retention.years(), copy_days=self.retention.copy_days.value())

    def save(self) -> None:
        """Save in the background (every due date is recomputed when amounts change)."""
        if self.current is None:
            return
        for f in self.fields.values():
            f.error.show_message(None)
        self.rules_error.show_message(None)
        new = self.values()
        self.save_button.setEnabled(False)
        self.ctx.ops.long_write(self, "Saving settings and recomputing due dates",
                                lambda svc, _p: svc.settings.update(new), self._saved, on_invalid=self._invalid,
                                after=lambda: self.save_button.setEnabled(True))

    def _saved(self, _op: Op[Any]) -> None:
        self.saved_label.setText(f"Saved at {dt.datetime.now():%H:%M}.")

    def _invalid(self, exc: ValidationError) -> None:
        for p in exc.problems:
            target = self.fields.get(p.field)
            if target is not None:
                target.error.show_message(str(p))
            else:
                self.rules_error.show_message(f"{p.field}: {p.message}")  # a rule amount, a retention period
