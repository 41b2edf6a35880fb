"""The window's commands on the register as a whole: importing incidents, saving the import templates,
exporting the deadlines to a calendar, backing up and restoring from one of its copies. Each runs through the
ops layer in the background and tells the user what it did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QWidget,
)

from bscp_desktop.ui.pages import register
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.util.words import counted

if TYPE_CHECKING:
    from bscp_desktop.services.exchange.ics_export import CalendarExport
    from bscp_desktop.services.exchange.incident_import import ImportPlan


class RegisterTools:
    """The register-wide commands of the main window (a mixin: the window gives its context, forms and
    widgets)."""

    ctx: AppContext
    forms: list[QWidget]
    importer: Any

    def window_widget(self) -> QWidget:
        """The window the tools belong to, as the parent of their dialogs."""
        assert isinstance(self, QWidget)
        return self

    def import_incidents(self) -> None:
        """Choose a spreadsheet, check it in the background, then show what it would import (or what is wrong)."""
        from bscp_desktop.ui.dialogs import import_dialog  # loaded when first used: not on the start-up path

        path = import_dialog.choose_sheet(self.window_widget())
        if path is None:
            return
        self.ctx.ops.long_query(self.window_widget(), "Checking the file", lambda svc, _p: svc.incident_import.check(path),
                                self._import_checked)

    def _import_checked(self, plan: ImportPlan) -> None:
        from bscp_desktop.ui.dialogs import import_dialog

        self.importer = import_dialog.incident_dialog(self.ctx, plan, self.window_widget())
        self.importer.open()

    def save_templates(self) -> None:
        """Write the three import templates into a folder the user chooses."""
        from bscp_desktop.ui.dialogs import import_dialog

        folder = import_dialog.choose_folder(self.window_widget(), "Save import templates")
        if folder is None:
            return
        self.ctx.ops.long_query(self.window_widget(), "Saving templates", lambda svc, _p: svc.write_import_templates(folder),
                                lambda paths: errors.information(
            self.window_widget(), "Templates saved", "Saved to " + str(folder) + ":\n" + "\n".join(p.name for p in paths)
            + "\n\nEach has the columns the import reads, an example row to replace with your own, and a "
            "second sheet saying what each column takes."))

    def export_calendar(self) -> None:
        """Save the open clocks and agency actions as an iCalendar file, in the background."""
        path = register.save_path(self.window_widget(), "Export deadlines to calendar", "bscp-deadlines.ics",
                                  "Calendar files (*.ics)")
        if path is None:
            return
        if path.suffix.lower() != ".ics":
            path = path.with_name(path.name + ".ics")
        as_of = self.ctx.as_of()
        self.ctx.ops.long_query(self.window_widget(), "Exporting deadlines", lambda svc, _p: svc.ics_export.write(path, as_of),
                                self._calendar_written)

    def _calendar_written(self, done: CalendarExport) -> None:
        errors.information(self.window_widget(), "Deadlines exported",
                           f"{counted(done.clocks, 'statutory clock')} and {counted(done.actions, 'agency action')} "
                           "were saved to "
                           f"{done.path}.\n\nOpen the file with Outlook (or import it into any calendar): each "
                           "deadline is an all-day event with a reminder at 9 am on the day it turns amber. "
                           "Importing a newer export updates the same events.")

    def backup(self) -> None:
        """Save a consistent copy of the database (SQLite), in the background."""
        path = register.save_path(self.window_widget(), "Back up the database", "bscp-backup.db", "Database files (*.db)")
        if path is None:
            return
        self.ctx.ops.long_query(self.window_widget(), "Backing up", lambda svc, _p: svc.backup_to(path),
                                lambda out: errors.information(self.window_widget(), "Backed up", f"A copy was saved to {out}"))

    def restore_from_copy(self) -> None:
        """Choose one of the register's copies and put the register back as it was (administrators)."""
        self.ctx.ops.query(self.window_widget(), lambda svc: svc.register_copies(), self._restore_chosen, key="copies")

    def _restore_chosen(self, copies: list[Any]) -> None:
        from bscp_desktop.ui.dialogs import restore as restore_dialog

        copy = restore_dialog.choose_copy(self.window_widget(), copies)
        if copy is None:
            return
        for form in list(self.forms):  # a form open on the register as it is would save into the restored one
            if not form.close():
                return
        if not errors.ask(self.window_widget(), "Restore from a copy", f"Put the register back as {copy.name} was? What was "
                                                       "recorded since is kept only in the copy made now."):
            return
        self.ctx.poll_timer.stop()
        self.ctx.ops.long_write(self.window_widget(), "Restoring the register", lambda svc, _p: svc.restore_from(copy),
                                self._restored, after=self.ctx.poll_timer.start)

    def _restored(self, op: Any) -> None:
        done = op.value
        errors.information(self.window_widget(), "Restored", f"The register was put back as the {done.copy.kind} copy of "
                                             f"{done.copy.made:%d/%m/%Y}. The register as it was is kept as "
                                             f"{done.kept}.")
