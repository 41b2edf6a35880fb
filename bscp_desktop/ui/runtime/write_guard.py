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
    """Disables a refused widget again whenever something enables it, and keeps the refusal as its tooltip
    when the page sets another (the reason it is disabled is what the user needs to read)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not isinstance(watched, QWidget) or not watched.property(REFUSAL):
            return False
        if event.type() == QEvent.Type.EnabledChange and watched.isEnabled():
            watched.setEnabled(False)
        elif event.type() == QEvent.Type.ToolTipChange and watched.toolTip() != watched.property(REFUSAL):
            watched.setToolTip(str(watched.property(REFUSAL)))
        return False


_keeper: _KeepDisabled | None = None


def _keep_action_disabled(action: QAction) -> None:
    refusal = action.property(REFUSAL)
    if not refusal:
        return
    if action.isEnabled():
        action.setEnabled(False)
    if action.toolTip() != refusal:
        action.setToolTip(str(refusal))


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
