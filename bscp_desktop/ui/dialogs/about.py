"""Help › About: the program's version and the register's schema, the versions of Python, Qt and SQLCipher a
support call asks for, where the register is, and the licence of every third-party package the program ships
(Qt for Python is LGPL: its libraries are separate files in the program's folder, so they can be replaced)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from bscp_desktop import APP_TITLE
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import fit_on_screen, heading, hint
from bscp_desktop.util.components import notices, versions

LGPL_NOTE = ("Qt and Qt for Python are used under the GNU Lesser General Public License v3: their libraries are "
             "separate files in the program's folder, and may be replaced with compatible builds of your own. "
             "Each package's licence follows.")


class AboutDialog(QDialog):
    """The versions and the licence notices; the register's own schema is read in the background."""

    def __init__(self, ctx: AppContext, schema: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_TITLE}")
        fit_on_screen(self, 760, 620)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(APP_TITLE, self))
        lay.addWidget(QLabel("Serious incident register, statutory clocks and publication catalogue.", self))
        form = QFormLayout()
        self.rows: dict[str, QLabel] = {}
        for part, version in [*versions(schema), ("This register's schema", "…"), ("Register", ctx.register_name)]:
            label = QLabel(version, self)
            label.setWordWrap(True)
            label.setAccessibleName(part)
            self.rows[part] = label
            form.addRow(f"{part}:", label)
        lay.addLayout(form)
        lay.addWidget(hint(LGPL_NOTE, self))
        self.notices = QPlainTextEdit(notices(), self)
        self.notices.setReadOnly(True)
        self.notices.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.notices.setAccessibleName("Third-party licences")
        lay.addWidget(self.notices, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        ctx.ops.query(self, lambda svc: svc.register_state(), self._show_state)

    def _show_state(self, state: tuple[str | None, str]) -> None:
        revision, protection = state
        self.rows["This register's schema"].setText(f"{revision or 'not yet created'}; {protection}")
