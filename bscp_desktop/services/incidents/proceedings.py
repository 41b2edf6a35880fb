"""Parallel proceedings recorded once on an incident: a police investigation, the coroner and inquest, the child
death review, family proceedings, each with where it stands and the date that goes with it (expected from,
under way since, concluded on). The Rapid Review report lists them; when a review of the incident is
commissioned, one still running starts its publication hold from what is recorded here
(``ReviewManager.commission``), without being typed again. Every write is one transaction with its audit entry
and returns the incident as it now stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bscp_desktop.domain.rapid_review import ProceedingKind, ProceedingState
from bscp_desktop.domain.vocab import Role, Stage
from bscp_desktop.models import Incident, ParallelProceeding
from bscp_desktop.services.core.base import Manager, diff, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.incidents.views import IncidentView, incident_view
from bscp_desktop.util.dates import uk

MAX_NOTE = 2000
_FIELDS = ["state", "state_date", "note"]


@dataclass(frozen=True)
class ProceedingInput:
    """What the proceeding dialog collects."""

    kind: ProceedingKind
    state: ProceedingState
    state_date: dt.date | None = None
    note: str = ""


class ProceedingManager(Manager):
    """Record, correct and remove an incident's parallel proceedings."""

    @requires(Role.EDITOR, "record a parallel proceeding")
    def record(self, incident_id: int, data: ProceedingInput, version: int | None = None) -> Op[IncidentView]:
        """Record where a proceeding of the incident stands: the first record of its kind adds it (``version``
        None), a later one corrects it (``version``: the proceeding's as loaded)."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id)
            if inc.stage == Stage.CLOSED:
                raise ValidationError.one("Stage", f"{inc.local_ref} is closed; nothing more can be recorded on it")
            self._check(inc, data)
            row = next((p for p in inc.proceedings if p.kind == data.kind), None)
            if row is not None and version is None:
                raise ValidationError.one("Proceeding", f"{ProceedingKind.of(data.kind).label} is already recorded "
                                          f"for {inc.local_ref}; change it instead")
            if row is not None:
                row = self.load(s, ParallelProceeding, "parallel proceeding", row.id, version)
            before = snapshot(row, _FIELDS) if row is not None else None
            if row is None:
                row = ParallelProceeding(kind=ProceedingKind.of(data.kind))
                inc.proceedings.append(row)
            row.state, row.state_date, row.note = ProceedingState.of(data.state), data.state_date, data.note.strip()
            s.flush()
            b, a = diff(before or {}, snapshot(row, _FIELDS))
            if a or before is None:
                self.audit(s, "record proceeding", "incident", inc.id,
                           f"{inc.local_ref}: {ProceedingKind.of(data.kind).label}", b if before else None,
                           snapshot(row, _FIELDS) if before is None else a)
            return Op(incident_view(s, inc), Changes().add("incident", inc.id))

    @requires(Role.EDITOR, "remove a parallel proceeding")
    def remove(self, proceeding_id: int, version: int) -> Op[IncidentView]:
        """Remove a proceeding recorded in error (the audit log keeps that it was)."""
        with self.db.write() as s:
            row = self.load(s, ParallelProceeding, "parallel proceeding", proceeding_id, version)
            inc = row.incident
            if inc.stage == Stage.CLOSED:
                raise ValidationError.one("Stage", f"{inc.local_ref} is closed; nothing more can be recorded on it")
            before = {"kind": row.kind, **snapshot(row, _FIELDS)}
            inc.proceedings.remove(row)
            s.flush()
            self.audit(s, "remove proceeding", "incident", inc.id,
                       f"{inc.local_ref}: {ProceedingKind.of(before['kind']).label}", before, None)
            return Op(incident_view(s, inc), Changes().add("incident", inc.id))

    def _check(self, inc: Incident, d: ProceedingInput) -> None:
        c = Checker()
        c.require(d.kind in ProceedingKind.labels(), "Proceeding",
                  f"must be one of: {', '.join(k.label for k in ProceedingKind)}")
        if c.require(d.state in ProceedingState.labels(), "State",
                     f"must be one of: {', '.join(k.label for k in ProceedingState)}"):
            state = ProceedingState.of(d.state)
            if state in (ProceedingState.UNDER_WAY, ProceedingState.CONCLUDED):
                if self.required_date(c, "Date", d.state_date):
                    assert d.state_date is not None
                    start = inc.incident_date
                    if start is not None:
                        c.require(d.state_date >= start, "Date", f"cannot be before the incident ({uk(start)})")
            elif state is ProceedingState.EXPECTED and d.state_date is not None:
                c.require(d.state_date >= inc.became_aware, "Date",
                          f"cannot be before the local authority became aware ({uk(inc.became_aware)})")
                c.require(d.state_date.year <= self.today().year + 10, "Date", "is more than ten years ahead: check the year")
        c.require(len(d.note.strip()) <= MAX_NOTE, "Note", f"must be at most {MAX_NOTE:,} characters")
        c.raise_if_any()


__all__ = ["ProceedingInput", "ProceedingManager"]
