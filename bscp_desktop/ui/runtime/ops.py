"""The one way from a screen to the data: every page, form and dialog reads through ``Ops.query`` and changes
through ``Ops.write`` (as Anki's ``QueryOp`` and ``CollectionOp``). Nothing in the UI holds the services.

- Both run the service call on the task runner, never on the UI thread: on a PostgreSQL server across a
  network a read on the UI thread would freeze the window for a round trip, or for the whole timeout when the
  server is away.
- Both drop results nobody is waiting for: a result whose ``parent`` widget has gone (a closed dialog), or a
  query overtaken by a newer one with the same ``key`` (a filter typed again before the last one answered).
- ``write`` broadcasts the ``Changes`` a write returns, itself, before ``on_done``: no screen can forget to.
- ``write`` shows the typed errors one way: a validation error beside the fields (``on_invalid``) or in a
  dialog, a conflict as an offer to reload (``on_conflict``) or a dialog, a database that is away or busy as
  an offer to try again, anything else as ``errors.show_error`` does.

A call is a function of the services (``lambda svc: svc.incidents.get(case_id)``), built on the UI thread from
values read off the widgets, and run on a worker: it must not touch a widget.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from bscp_desktop.services import ConflictError, Op, Services, ValidationError
from bscp_desktop.store.errors import StoreUnavailable
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.tasks import Progress, TaskRunner

Done = Callable[[Any], object]
Failed = Callable[[BaseException], object]


class Ops(QObject):
    """Queries and writes for the screens, over one ``Services`` and one ``TaskRunner``."""

    def __init__(self, svc: Services, runner: TaskRunner, publish: Callable[[Any], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._svc = svc
        self._runner = runner
        self._publish = publish
        self._generations: dict[tuple[int, Hashable], int] = {}
        self._counter = itertools.count(1)

    # -- reading ----------------------------------------------------------------------------------------
    def query(self, parent: QObject | None, fn: Callable[[Services], Any], on_done: Done, *,
              key: Hashable | None = None, on_error: Failed | None = None) -> None:
        """Read in the background: ``fn(services)`` on a worker, ``on_done(result)`` on the UI thread (not if
        ``parent`` has gone, nor if a newer query with the same ``key`` and parent was started since).
        Errors go to ``on_error``, or are shown."""
        svc = self._svc
        self._start(parent, lambda _p: fn(svc), on_done, on_error, key)

    def long_query(self, parent: QWidget | None, title: str, fn: Callable[[Services, Progress], Any], on_done: Done,
                   *, on_error: Failed | None = None) -> None:
        """A read that reports progress (a report, a file check) behind a cancellable progress dialog titled
        ``title``: ``fn(services, progress)``."""
        svc = self._svc
        self._start(parent, lambda p: fn(svc, p), on_done, on_error, None, title=title)

    # -- writing ----------------------------------------------------------------------------------------
    def write(self, parent: QWidget | None, fn: Callable[[Services], Op[Any]], on_done: Done | None = None, *,
              on_invalid: Callable[[ValidationError], object] | None = None,
              on_conflict: Callable[[ConflictError], object] | None = None,
              on_unavailable: Failed | None = None, after: Callable[[], object] | None = None) -> None:
        """Change the register in the background: ``fn(services)`` returns an ``Op``; its ``Changes`` are
        broadcast, then ``on_done(op)`` runs. ``after`` runs first whatever the outcome (to enable a form
        again); ``on_invalid`` and ``on_conflict`` take those errors in place of the standard dialogs. A
        database that is away or busy is offered a retry; ``on_unavailable`` runs when the user declines it."""
        self.long_write(parent, None, lambda svc, _p: fn(svc), on_done, on_invalid=on_invalid,
                        on_conflict=on_conflict, on_unavailable=on_unavailable, after=after)

    def long_write(self, parent: QWidget | None, title: str | None, fn: Callable[[Services, Progress], Op[Any]],
                   on_done: Done | None = None, *, on_invalid: Callable[[ValidationError], object] | None = None,
                   on_conflict: Callable[[ConflictError], object] | None = None,
                   on_unavailable: Failed | None = None, after: Callable[[], object] | None = None) -> None:
        """A write that reports progress (an import, settings that recompute every due date) behind a progress
        dialog titled ``title`` (None: no dialog): ``fn(services, progress)``; otherwise as ``write``."""
        svc = self._svc

        def done(op: Op[Any]) -> None:  # the change is made: broadcast even when the screen has gone
            if after is not None and alive(parent):
                after()
            self._publish(op.changes)
            if on_done is not None and alive(parent):
                on_done(op)

        def failed(exc: BaseException) -> None:  # and told even when the screen has gone
            present = alive(parent)
            shown = parent if present else None
            if after is not None and present:
                after()
            if isinstance(exc, ValidationError) and on_invalid is not None and present:
                on_invalid(exc)
            elif isinstance(exc, ConflictError) and on_conflict is not None and present:
                on_conflict(exc)
            elif isinstance(exc, StoreUnavailable):
                if errors.ask(shown, "Database not available", f"{exc}\n\nTry again now?"):
                    self.long_write(shown, title, fn, on_done, on_invalid=on_invalid, on_conflict=on_conflict,
                                    on_unavailable=on_unavailable, after=after)
                elif on_unavailable is not None and present:
                    on_unavailable(exc)
            else:
                errors.show_error(shown, exc)

        self._runner.run(lambda p: fn(svc, p), done, failed, title=title, parent=parent)

    # -- the runner -------------------------------------------------------------------------------------
    def _start(self, parent: QObject | None, task: Callable[[Progress], Any], on_done: Done,
               on_error: Failed | None, key: Hashable | None, title: str | None = None) -> None:
        generation = next(self._counter)
        slot = (id(parent), key) if key is not None else None
        if slot is not None:
            self._generations[slot] = generation

        def wanted() -> bool:
            if not alive(parent):
                return False
            if slot is None:
                return True
            if self._generations.get(slot) != generation:
                return False
            del self._generations[slot]
            return True

        def done(result: Any) -> None:
            if wanted():
                on_done(result)

        def failed(exc: BaseException) -> None:
            if not wanted():
                return
            if on_error is not None:
                on_error(exc)
            else:
                errors.show_error(parent if isinstance(parent, QWidget) else None, exc)

        self._runner.run(task, done, failed, title=title, parent=parent if isinstance(parent, QWidget) else None)


def alive(widget: QObject | None) -> bool:
    """True unless ``widget`` was given and Qt has since deleted it (a closed dialog)."""
    return widget is None or shiboken6.isValid(widget)
