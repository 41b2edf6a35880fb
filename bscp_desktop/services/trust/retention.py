"""Retention, legal holds and disposal.

There is no statutory retention period for review records: the partnership's records manager sets one per class
of record (Settings › Retention), starting from a suggested default. An incident that led to no review is due for
disposal review N years after it was closed; an archive request and its correspondence N years after it was
answered. Reviews, their published documents and the audit log are kept.

A legal hold (public inquiry, litigation, police request) on a record blocks its disposal until it is lifted.
Disposing of a record deletes its personal content in one transaction (pseudonym, narrative, names, addresses)
and keeps what the statistics count (dates, harm, age band, decisions), so counts by year do not change; the
disposal log keeps the class of record, its reference, the rule applied, who approved it and when.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import exists, select, text, update
from sqlalchemy.orm import Session

from bscp_desktop.domain.rapid_review import PERSONAL_TEXT as RAPID_REVIEW_TEXT
from bscp_desktop.domain.vocab import FINISHED_REQUESTS, HOLD_REASONS, HoldReason, RecordClass, Role
from bscp_desktop.models import (
    AgencyReturn,
    ArchiveRequest,
    AuditEntry,
    Disclosure,
    Disposal,
    Incident,
    IncidentChild,
    LegalHold,
    ParallelProceeding,
    PartnerAgreement,
    RapidReview,
    Review,
    review_incidents,
)
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import NotFound, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.incidents.panel_details import PERSONAL as PANEL_PERSONAL
from bscp_desktop.services.trust.retention_schedule import (
    DISPOSED,
    HOLDABLE,
    RETENTION_RULES,
    DisposalView,
    DueRecord,
    LegalHoldView,
    OnLegalHold,
    add_years,
)
from bscp_desktop.util.text import abbreviated, identifier


class RetentionManager(Manager):
    """The retention schedule, legal holds, the records due for disposal review and disposing of them."""

    # -- the schedule ----------------------------------------------------------------------------------------
    def rule_text(self, record_class: RecordClass) -> str:
        """The rule in force, in words: "Incident with no review: 10 years after closure"."""
        years = self.svc.cached_settings().retention_years[record_class]
        rule = RETENTION_RULES[record_class]
        return f"{record_class.label}: {years} year{'s' if years != 1 else ''} after {rule.after}"

    # -- due for disposal review -----------------------------------------------------------------------------
    def due(self, as_of: dt.date | None = None) -> list[DueRecord]:
        """Every record whose retention has ended by ``as_of`` (default today) and that is not yet disposed of,
        oldest due first; a held one says so."""
        with self.db.read() as s:
            return self._due(s, as_of or self.today())

    def _due(self, s: Session, as_of: dt.date, only: tuple[RecordClass, int] | None = None) -> list[DueRecord]:
        """``due`` as ``s`` sees it; ``only`` one record (to check it inside the transaction that disposes)."""
        years = self.svc.cached_settings().retention_years
        held = self._active_holds(s)
        disposed = {(c, i) for c, i in s.execute(select(Disposal.record_class, Disposal.entity_id))}
        reviewed = exists().where(review_incidents.c.incident_id == Incident.id)
        sources = {
            RecordClass.INCIDENT: select(Incident.id, Incident.local_ref, Incident.closed_date)
            .where(Incident.closed_date.is_not(None), ~reviewed),
            RecordClass.REQUEST: select(ArchiveRequest.id, ArchiveRequest.reference, ArchiveRequest.responded_date)
            .where(ArchiveRequest.status.in_(FINISHED_REQUESTS), ArchiveRequest.responded_date.is_not(None)),
        }
        out: list[DueRecord] = []
        for record_class, query in sources.items():
            if only is not None and only[0] is not record_class:
                continue
            n = years[record_class]
            started = query.selected_columns[2]
            query = query.where(started < add_years(as_of, -n) + dt.timedelta(days=1))
            if only is not None:
                query = query.where(query.selected_columns[0] == only[1])
            for entity_id, ref, since in s.execute(query):
                assert since is not None  # the WHERE clause compares it
                due = add_years(since, n)
                if due <= as_of and (record_class, entity_id) not in disposed:
                    out.append(DueRecord(record_class, entity_id, ref, since, due, self.rule_text(record_class),
                                         held.get((record_class.value, entity_id), "")))
        return sorted(out, key=lambda r: (r.due, r.reference))

    @staticmethod
    def _active_holds(s: Session) -> dict[tuple[str, int], str]:
        """(entity, id) → the reason of its active hold, in words."""
        return {(e, i): f"{HOLD_REASONS.get(r, r)}{': ' + d if d else ''}" for e, i, r, d in s.execute(
            select(LegalHold.entity, LegalHold.entity_id, LegalHold.reason, LegalHold.details)
            .where(LegalHold.lifted_at.is_(None)).order_by(LegalHold.placed_at))}

    # -- legal holds -----------------------------------------------------------------------------------------
    def holds(self, active_only: bool = False) -> list[LegalHoldView]:
        """Legal holds, newest first."""
        q = select(LegalHold).order_by(LegalHold.placed_at.desc(), LegalHold.id.desc())
        if active_only:
            q = q.where(LegalHold.lifted_at.is_(None))
        with self.db.read() as s:
            return [self._hold_view(s, h) for h in s.scalars(q)]

    def _hold_view(self, s: Session, h: LegalHold) -> LegalHoldView:
        return LegalHoldView(h.id, h.version, h.entity, h.entity_id, self._reference(s, h.entity, h.entity_id),
                        HoldReason.of(h.reason), h.details, h.placed_by, h.placed_at, h.lifted_by, h.lifted_at,
                        h.lift_reason)

    @staticmethod
    def _reference(s: Session, entity: str, entity_id: int) -> str:
        columns = {"incident": (Incident.id, Incident.local_ref),
                   "request": (ArchiveRequest.id, ArchiveRequest.reference),
                   "review": (Review.id, Review.case_reference)}.get(entity)
        if columns is None:
            raise ValidationError.one("Record", f"a legal hold can be placed on an {', '.join(HOLDABLE.values())}")
        ref = s.scalar(select(columns[1]).where(columns[0] == entity_id))
        if ref is None:
            raise NotFound(HOLDABLE[entity], entity_id)
        return str(ref)

    def find(self, reference: str) -> tuple[str, int, str]:
        """(entity, id, reference) of the incident, archive request or review with this reference."""
        ref = identifier(reference)
        with self.db.read() as s:
            for entity, model, column in (("incident", Incident, Incident.local_ref),
                                          ("request", ArchiveRequest, ArchiveRequest.reference),
                                          ("review", Review, Review.case_reference)):
                found = s.scalar(select(model.id).where(column == ref))
                if found is not None:
                    return entity, int(found), ref
        raise ValidationError.one("Reference", f"there is no incident, archive request or review “{ref}”")

    @requires(Role.ADMIN, "place a legal hold")
    def place_legal_hold(self, entity: str, entity_id: int, reason: HoldReason, details: str = "") -> Op[LegalHoldView]:
        """Place a legal hold on a record (an incident, archive request or review): it cannot be disposed of
        until the hold is lifted. ``details`` says which inquiry, claim or request."""
        if reason not in HOLD_REASONS:
            raise ValidationError.one("Reason", f"must be one of: {', '.join(HOLD_REASONS.values())}")
        details = details.strip()
        if reason == HoldReason.OTHER and not details:
            raise ValidationError.one("Details", "are required when the reason is “Other”")
        if len(details) > 2000:
            raise ValidationError.one("Details", "must be at most 2,000 characters")
        with self.db.write() as s:
            reference = self._reference(s, entity, entity_id)
            hold = LegalHold(entity=entity, entity_id=entity_id, reason=HoldReason.of(reason), details=details,
                             placed_by=self.svc.user)
            s.add(hold)
            s.flush()
            self.audit(s, "place legal hold", "legal_hold", hold.id,
                       f"{reference}: {HOLD_REASONS[reason]}{' (' + details + ')' if details else ''}", None,
                       {"entity": entity, "entity_id": entity_id, "reason": str(reason)})
            view = self._hold_view(s, hold)
        return Op(view, Changes().add(entity, entity_id))

    @requires(Role.ADMIN, "lift a legal hold")
    def lift_legal_hold(self, hold_id: int, version: int, reason: str) -> Op[LegalHoldView]:
        """Lift a hold, saying why (the inquiry reported, the claim settled)."""
        if not reason.strip():
            raise ValidationError.one("Reason for lifting", "is required")
        with self.db.write() as s:
            hold = self.load(s, LegalHold, "legal hold", hold_id, version)
            if hold.lifted_at is not None:
                raise ValidationError.one("Hold", f"was lifted already, by {hold.lifted_by}")
            hold.lifted_by, hold.lifted_at, hold.lift_reason = self.svc.user, dt.datetime.now(dt.UTC), reason.strip()
            s.flush()
            view = self._hold_view(s, hold)
            self.audit(s, "lift legal hold", "legal_hold", hold.id, f"{view.reference}: {reason.strip()}",
                       {"lifted": False}, {"lifted": True})
        return Op(view, Changes().add(hold.entity, hold.entity_id))

    # -- disposal --------------------------------------------------------------------------------------------
    def disposals(self) -> list[DisposalView]:
        """The disposal log, newest first."""
        with self.db.read() as s:
            return [DisposalView(d.id, RecordClass.of(d.record_class), d.entity_id, d.reference, d.rule, d.approved_by,
                                 d.disposed_at)
                    for d in s.scalars(select(Disposal).order_by(Disposal.disposed_at.desc(), Disposal.id.desc()))]

    @requires(Role.ADMIN, "dispose of a record")
    def dispose(self, record_class: RecordClass, entity_id: int) -> Op[DisposalView]:
        """Dispose of one record due for disposal review, in one transaction: its personal content is deleted,
        what the statistics count is kept, and the disposal log records it. Refused (``OnLegalHold``, audited)
        on a held record, and (``ValidationError``) on one not due yet or disposed of already."""
        record_class = RecordClass.of(record_class)
        entity = record_class.value
        refused: OnLegalHold | None = None
        folders: list[Path] = []
        with self.db.write() as s:
            reference = self._reference(s, entity, entity_id)
            hold = s.scalar(select(LegalHold).where(LegalHold.entity == entity, LegalHold.entity_id == entity_id,
                                                    LegalHold.lifted_at.is_(None)).order_by(LegalHold.id).limit(1))
            due = next(iter(self._due(s, self.today(), (record_class, entity_id))), None)
            if hold is not None:
                refused = OnLegalHold(reference, hold)
            elif due is None:
                done = s.scalar(select(Disposal.disposed_at).where(Disposal.record_class == entity,
                                                                   Disposal.entity_id == entity_id))
                raise ValidationError.one("Record", f"{reference} was disposed of on {done.astimezone():%d/%m/%Y}"
                                          if done else f"{reference} is not due for disposal yet "
                                          f"({self.rule_text(record_class)})")
            else:
                if record_class is RecordClass.INCIDENT:
                    self._dispose_incident(s, entity_id)
                else:
                    self._dispose_request(s, entity_id)
                    folders = release_folders(s, entity_id)
                remove_audit_values(s, entity, entity_id)
                row = Disposal(record_class=record_class, entity_id=entity_id, reference=reference,
                               rule=abbreviated(due.rule, 200), approved_by=self.svc.user)
                s.add(row)
                s.flush()
                self.audit(s, "dispose", "disposal", reference, f"{reference} disposed of under “{due.rule}”")
                view = DisposalView(row.id, record_class, entity_id, reference, row.rule, row.approved_by,
                                    row.disposed_at)
        if refused is not None:  # the refusal is recorded in a transaction of its own, then raised
            with self.db.write() as s:
                self.audit(s, "disposal refused", "disposal", reference, str(refused))
            raise refused
        for folder in folders:  # once the disposal is committed: the release folders it wrote go too
            shutil.rmtree(folder, ignore_errors=True)
        return Op(view, Changes().add(entity, entity_id))

    @staticmethod
    def _dispose_incident(s: Session, incident_id: int) -> None:
        """Delete an incident's personal content (its children's pseudonyms, the Rapid Review's narrative and the
        reasons given for each local-review criterion, the partners' signatories, the agencies' notes and lines,
        the proceedings' notes); keep its dates, its children's characteristics, harm,
        categories, decision and stage, which the statistics count."""
        s.execute(update(Incident).where(Incident.id == incident_id).values(
            pseudonym=DISPOSED, notes="", closed_reason="", lead_officer="", version=Incident.version + 1,
            **dict.fromkeys(PANEL_PERSONAL, "")))  # the place, the outline and the notifier's contact
        s.execute(update(IncidentChild).where(IncidentChild.incident_id == incident_id).values(
            pseudonym=DISPOSED, version=IncidentChild.version + 1))
        rr_ids = select(RapidReview.id).where(RapidReview.incident_id == incident_id).scalar_subquery()
        for rr_id, criteria in s.execute(select(RapidReview.id, RapidReview.local_review_criteria)
                                         .where(RapidReview.incident_id == incident_id)).all():
            s.execute(update(RapidReview).where(RapidReview.id == rr_id).values(
                **dict.fromkeys(RAPID_REVIEW_TEXT, ""), version=RapidReview.version + 1,
                local_review_criteria={k: {**v, "reasons": ""} for k, v in (criteria or {}).items()}))
        s.execute(update(AgencyReturn).where(AgencyReturn.rapid_review_id.in_(rr_ids)).values(
            note="", involvement="", version=AgencyReturn.version + 1))
        s.execute(update(ParallelProceeding).where(ParallelProceeding.incident_id == incident_id).values(
            note="", version=ParallelProceeding.version + 1))
        s.execute(update(PartnerAgreement).where(PartnerAgreement.rapid_review_id.in_(rr_ids)).values(
            name=DISPOSED, role_title="", version=PartnerAgreement.version + 1))

    @staticmethod
    def _dispose_request(s: Session, request_id: int) -> None:
        """Delete an archive request's requester and correspondence; keep its dates, status and the publications
        asked for, which the statistics count, and the disclosure log's files and hashes."""
        s.execute(update(ArchiveRequest).where(ArchiveRequest.id == request_id).values(
            requester_name=DISPOSED, organisation="", role="", email="", purpose="", decline_reason="", notes="",
            version=ArchiveRequest.version + 1))
        s.execute(update(Disclosure).where(Disclosure.request_id == request_id).values(recipient=""))


REMOVED = "(removed: the record was disposed of under the retention schedule)"


def remove_audit_values(s: Session, entity: str, entity_id: int) -> None:
    """Remove what the audit entries of a disposed record say about it (summary, values before and after),
    keeping each entry, its digest and its hash, so the chain verifies as before (``store.audit_chain``). On a
    server the audit log is insert-only for every role: the removal goes through ``bscp_remove_audit_values``,
    which only administrators may call and which does nothing else."""
    conn = s.connection()
    if conn.dialect.name == "postgresql" and conn.exec_driver_sql(
            "SELECT to_regproc('bscp_remove_audit_values')").scalar() is not None:
        conn.execute(text("SELECT bscp_remove_audit_values(:e, :i, :r)"),
                     {"e": entity, "i": str(entity_id), "r": REMOVED})
        return
    s.execute(update(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
              .values(summary=REMOVED, before=None, after=None, values_removed=True))


def release_folders(s: Session, request_id: int) -> list[Path]:
    """The release folders written for an archive request (recorded in its fulfilment's audit entries) that are
    still there."""
    found = []
    for after, in s.execute(select(AuditEntry.after).where(
            AuditEntry.entity == "request", AuditEntry.entity_id == str(request_id),
            AuditEntry.action == "fulfil archive request")):
        folder = Path(str((after or {}).get("folder", "")))
        if folder.name.endswith(" release") and folder.is_dir():
            found.append(folder)
    return found
