"""Controls that change the register, and refusing them when writing is not allowed.

Every control that writes (a button, a menu action) is passed through ``AppContext.writes`` when it is created.
When writing is refused for the whole window (a read-only register; a role without the right is told the same
way), the control is disabled with the reason as its tooltip, and kept disabled even when the page's own logic
(a row selected, say) enables it again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

REFUSAL = "bscpWriteRefusal"


class _KeepDisabled(QObject):
    """Disables a refused widget again whenever something enables it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.EnabledChange and isinstance(watched, QWidget):
            if watched.isEnabled() and watched.property(REFUSAL):
                watched.setEnabled(False)
        return False


_keeper: _KeepDisabled | None = None


def _keep_action_disabled(action: QAction) -> None:
    if action.isEnabled() and action.property(REFUSAL):
        action.setEnabled(False)


def guard_write[C: (QWidget | QAction)](control: C, refusal: str | None) -> C:
    """For a control that changes the register: when ``refusal`` is given, disable it for good with that reason
    as its tooltip. Returns the control."""
    global _keeper
    if not refusal:
        return control
    control.setProperty(REFUSAL, refusal)
    control.setToolTip(refusal)
    control.setEnabled(False)
    if isinstance(control, QAction):
        control.setStatusTip(refusal)
        control.changed.connect(lambda a=control: _keep_action_disabled(a))
    else:
        if _keeper is None:
            _keeper = _KeepDisabled()
        control.installEventFilter(_keeper)
    return control
