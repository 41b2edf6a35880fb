"""The Rapid Review as a workflow, before it is sent to the Panel: what each partner agency is asked for and when
it answers (each return has its clock, the ``agency-return`` rule), the three statutory partners' agreement,
and the report's narrative sections with the partners' view on national importance. Sending it, the decision
and the Panel's reply are ``IncidentManager``'s. Every write is one transaction with its audit entry and
returns the incident as it now stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bscp_desktop.domain.rapid_review import LATE_REASON, MAX_SECTION, SECTIONS
from bscp_desktop.domain.rules import Rag, rag
from bscp_desktop.domain.vocab import Decision, NationalImportance, Partner, Role, Stage
from bscp_desktop.models import Agency, AgencyReturn, Incident, PartnerAgreement, RapidReview
from bscp_desktop.services.core.base import Manager, diff, plain, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.incidents.local_review_criteria import (
    CriterionView,
    check_answers,
    stored_criteria,
    unanswered,
)
from bscp_desktop.services.incidents.views import AgencyReturnView, IncidentView, incident_view

_TEXT_FIELDS = ["meeting_date", *(section.field for section in SECTIONS), LATE_REASON.field]
_GROUND_FIELDS = ["local_review_criteria", "national_importance", "national_importance_reasons"]


@dataclass(frozen=True)
class RapidReviewReport:
    """The Rapid Review report's sections as the form edits them, in the report's order (Working Together
    2023): the facts with agency involvement and key practice episodes, the immediate action taken to keep
    children safe, the potential for improvements, the child's lived experience (racism and other inequalities
    such as disability), how the child's and the family's views were sought, and why the report went after its
    due date. The grounds of the decision are ``LocalReviewGrounds``; the decision and its reasons are
    recorded with ``IncidentManager.record_decision``."""

    meeting_date: dt.date | None = None
    facts: str = ""
    immediate_action: str = ""
    improvements: str = ""
    lived_experience: str = ""
    views_sought: str = ""
    late_reason: str = ""


@dataclass(frozen=True)
class LocalReviewGrounds:
    """The grounds of the decision on next steps: each local-review criterion answered with its reasons, and
    the partners' view on national importance with its reasons."""

    answers: tuple[CriterionView, ...] = ()
    national_importance: str = NationalImportance.NOT_DECIDED
    national_importance_reasons: str = ""


@dataclass(frozen=True)
class Timeliness:
    """When the Rapid Review was due (15 working days from the notification, the rule in force), when it was
    sent, and by how many working days it was late (0 when on time or not yet sent)."""

    due: dt.date | None
    sent: dt.date | None
    late_by: int
    reason: str

    @property
    def summary(self) -> str:
        """"Sent 2 working days late", "Sent on time", "Not yet sent", as the report says it."""
        if self.sent is None:
            return "Not yet sent"
        if self.late_by <= 0:
            return "Sent on time"
        return f"Sent {self.late_by} working day{'s' if self.late_by != 1 else ''} late"


@dataclass(frozen=True)
class ReturnState:
    """An agency return with its due date and RAG as of a date (what the form's table shows)."""

    ret: AgencyReturnView
    due: dt.date
    rag: Rag


class RapidReviewManager(Manager):
    """Agency returns, the partners' sign-off and the report's sections of an incident's Rapid Review."""

    # -- reading ----------------------------------------------------------------------------------------
    def returns(self, view: IncidentView, as_of: dt.date | None = None) -> list[ReturnState]:
        """The incident's agency returns with due dates and RAG as of ``as_of`` (today)."""
        rr = view.rapid_review
        if rr is None:
            return []
        eng = self.svc.clocks.engine(as_of)
        settings = self.svc.cached_settings()
        out = []
        for r in rr.returns:
            due = eng.due("agency-return", r.asked_on)
            out.append(ReturnState(r, due, rag(due, r.answered_on, eng.as_of, eng.cal, settings.amber_days)))
        return out

    def timeliness(self, view: IncidentView) -> Timeliness:
        """The Rapid Review's due date, sent date and working days late (the clock's rule and calendar)."""
        rr = view.rapid_review
        sent = rr.sent_date if rr is not None else None
        reason = rr.late_reason if rr is not None else ""
        if view.notified_date is None or not view.rapid_review_required:
            return Timeliness(None, sent, 0, reason)
        eng = self.svc.clocks.engine()
        due = eng.due("rapid-review", view.notified_date)
        late = eng.cal.between(due, sent) if sent is not None and sent > due else 0
        return Timeliness(due, sent, late, reason)

    # -- agency returns ---------------------------------------------------------------------------------
    @requires(Role.EDITOR, "ask an agency for its Rapid Review return")
    def ask_agency(self, incident_id: int, agency_id: int, asked_on: dt.date | None, note: str = "") -> Op[IncidentView]:
        """Record that ``agency_id`` was asked for its return on ``asked_on``: its answer falls due by the
        ``agency-return`` rule."""
        with self.db.write() as s:
            inc, rr = self._open_rapid_review(s, incident_id, "Agency")
            c = Checker()
            agency = s.get(Agency, agency_id)
            if c.require(agency is not None, "Agency", "no longer exists; choose another"):
                assert agency is not None
                c.require(all(r.agency_id != agency_id for r in rr.returns), "Agency",
                          f"{agency.name} has already been asked for this Rapid Review")
            self.required_date(c, "Asked on", asked_on, inc.became_aware, "the date the local authority became aware")
            c.require(len(note.strip()) <= 2000, "Note", "must be at most 2,000 characters")
            c.raise_if_any()
            assert agency is not None and asked_on is not None
            ret = AgencyReturn(agency_id=agency.id, agency=agency, asked_on=asked_on, note=note.strip())
            rr.returns.append(ret)
            s.flush()
            self.audit(s, "ask agency", "incident", inc.id, f"{inc.local_ref}: {agency.name}", None,
                       {"agency": agency.name, "asked_on": plain(asked_on)})
            return self._done(s, inc)

    @requires(Role.EDITOR, "record an agency's Rapid Review return")
    def record_return(self, return_id: int, version: int, answered_on: dt.date | None,
                      note: str = "", involvement: str | None = None) -> Op[IncidentView]:
        """Record when the agency answered (None: not yet), a note, and what the agency did with the child, from
        its return (None: as it was)."""
        with self.db.write() as s:
            ret, _rr, inc = self._part_of_unsent(s, AgencyReturn, "agency return", return_id, version)
            c = Checker()
            if answered_on is not None:
                self.required_date(c, "Answered on", answered_on, ret.asked_on, "the date the agency was asked")
            c.require(len(note.strip()) <= 2000, "Note", "must be at most 2,000 characters")
            if involvement is not None:
                c.require(len(involvement.strip()) <= 4000, "What the agency did",
                          "must be at most 4,000 characters")
            c.raise_if_any()
            fields = ["answered_on", "note", "involvement"]
            before = snapshot(ret, fields)
            ret.answered_on, ret.note = answered_on, note.strip()
            if involvement is not None:
                ret.involvement = involvement.strip()
            s.flush()
            b, a = diff(before, snapshot(ret, fields))
            if a:
                self.audit(s, "record agency return", "incident", inc.id, f"{inc.local_ref}: {ret.agency.name}", b, a)
            return self._done(s, inc)

    @requires(Role.EDITOR, "remove an agency from a Rapid Review")
    def remove_return(self, return_id: int, version: int) -> Op[IncidentView]:
        """Remove an agency that was asked in error (before the Rapid Review is sent)."""
        with self.db.write() as s:
            ret, rr, inc = self._part_of_unsent(s, AgencyReturn, "agency return", return_id, version)
            name = ret.agency.name
            before = {"agency": name, "asked_on": plain(ret.asked_on), "answered_on": plain(ret.answered_on)}
            rr.returns.remove(ret)
            s.flush()
            self.audit(s, "remove agency return", "incident", inc.id, f"{inc.local_ref}: {name}", before, None)
            return self._done(s, inc)

    # -- the partners' agreement ------------------------------------------------------------------------
    @requires(Role.EDITOR, "record a partner's agreement to a Rapid Review")
    def record_agreement(self, incident_id: int, partner: str, name: str, role_title: str,
                         agreed_on: dt.date | None) -> Op[IncidentView]:
        """Record (or correct) one statutory partner's agreement: who agreed, in what role, on what date."""
        with self.db.write() as s:
            inc, rr = self._open_rapid_review(s, incident_id, "Partner")
            c = Checker()
            c.require(partner in Partner.labels(), "Partner", f"must be one of: {', '.join(p.label for p in Partner)}")
            c.require(bool(name.strip()), "Agreed by", "name who agreed for the partner")
            c.require(len(name.strip()) <= 100, "Agreed by", "must be at most 100 characters")
            c.require(len(role_title.strip()) <= 100, "Role", "must be at most 100 characters")
            self.required_date(c, "Agreed on", agreed_on, inc.notified_date or inc.became_aware,
                               "the notification" if inc.notified_date else "the date the local authority became aware")
            c.raise_if_any()
            assert agreed_on is not None
            row = next((a for a in rr.agreements if a.partner == partner), None)
            before = snapshot(row, ["name", "role_title", "agreed_on"]) if row is not None else None
            if row is None:
                row = PartnerAgreement(partner=partner)
                rr.agreements.append(row)
            row.name, row.role_title, row.agreed_on = name.strip(), role_title.strip(), agreed_on
            s.flush()
            self.audit(s, "record partner agreement", "incident", inc.id,
                       f"{inc.local_ref}: {Partner.of(partner).label}", before,
                       snapshot(row, ["name", "role_title", "agreed_on"]))
            return self._done(s, inc)

    @requires(Role.EDITOR, "withdraw a partner's agreement to a Rapid Review")
    def withdraw_agreement(self, agreement_id: int, version: int) -> Op[IncidentView]:
        """Remove a partner's agreement recorded in error (before the Rapid Review is sent)."""
        with self.db.write() as s:
            row, rr, inc = self._part_of_unsent(s, PartnerAgreement, "partner agreement", agreement_id, version)
            before = snapshot(row, ["partner", "name", "role_title", "agreed_on"])
            rr.agreements.remove(row)
            s.flush()
            self.audit(s, "withdraw partner agreement", "incident", inc.id,
                       f"{inc.local_ref}: {Partner.of(before['partner']).label}", before, None)
            return self._done(s, inc)

    # -- the report's sections --------------------------------------------------------------------------
    @requires(Role.EDITOR, "edit a Rapid Review report")
    def save_report(self, incident_id: int, rr_version: int | None, report: RapidReviewReport) -> Op[IncidentView]:
        """Save the report's sections and the meeting date, checked against the Rapid Review version the user
        loaded (None: there was no Rapid Review yet). The sections stay editable after the report is sent, so
        the record matches what went."""
        with self.db.write() as s:
            inc, rr = self._report_of(s, incident_id, rr_version)
            c = Checker()
            if report.meeting_date is not None:
                self.required_date(c, "Meeting date", report.meeting_date, inc.notified_date or inc.became_aware,
                                   "the notification" if inc.notified_date else "the date the local authority became aware")
                if rr is not None and rr.sent_date is not None:
                    c.require(report.meeting_date <= rr.sent_date, "Meeting date",
                              f"cannot be after the Rapid Review was sent ({rr.sent_date:%d/%m/%Y})")
            for section in (*SECTIONS, LATE_REASON):
                c.require(len(getattr(report, section.field).strip()) <= MAX_SECTION, section.label,
                          f"must be at most {MAX_SECTION:,} characters")
            c.raise_if_any()
            rr = rr if rr is not None else self._new_rapid_review(s, inc)
            before = snapshot(rr, _TEXT_FIELDS) if rr.id else None
            rr.meeting_date = report.meeting_date
            for field in _TEXT_FIELDS[1:]:
                value = getattr(report, field)
                setattr(rr, field, value.strip() if isinstance(value, str) else value)
            s.flush()
            b, a = diff(before or {}, snapshot(rr, _TEXT_FIELDS))
            if a:
                self.audit(s, "edit rapid review report", "incident", inc.id, inc.local_ref, b, a)
            return self._done(s, inc)

    @requires(Role.EDITOR, "answer the local review criteria")
    def save_grounds(self, incident_id: int, rr_version: int | None, grounds: LocalReviewGrounds) -> Op[IncidentView]:
        """Save the answer to each local-review criterion with its reasons and the national-importance view,
        checked against the Rapid Review version the user loaded (None: there was none yet). Editable after the
        report is sent and the decision recorded; a decision of no local review needs every criterion answered,
        so its answers cannot then be taken back."""
        with self.db.write() as s:
            inc, rr = self._report_of(s, incident_id, rr_version)
            c = Checker()
            check_answers(c, grounds.answers)
            c.require(grounds.national_importance in NationalImportance.labels(), "National importance",
                      f"must be one of: {', '.join(n.label for n in NationalImportance)}")
            c.require(len(grounds.national_importance_reasons.strip()) <= MAX_SECTION, "National importance reasons",
                      f"must be at most {MAX_SECTION:,} characters")
            stored = stored_criteria(grounds.answers)
            if rr is not None and rr.decision == Decision.NO_REVIEW and (missing := unanswered(stored)):
                c.require(False, "Local review criteria", "the decision was no local review: every criterion keeps "
                          f"an answer with reasons ({', '.join(m.short_label for m in missing)} left blank)")
            c.raise_if_any()
            rr = rr if rr is not None else self._new_rapid_review(s, inc)
            before = snapshot(rr, _GROUND_FIELDS) if rr.id else None
            rr.local_review_criteria = stored
            rr.national_importance = NationalImportance.of(grounds.national_importance)
            rr.national_importance_reasons = grounds.national_importance_reasons.strip()
            s.flush()
            b, a = diff(before or {}, snapshot(rr, _GROUND_FIELDS))
            if a:
                self.audit(s, "answer local review criteria", "incident", inc.id, inc.local_ref, b, a)
            return self._done(s, inc)

    # -- helpers ----------------------------------------------------------------------------------------
    def _open_rapid_review(self, s: Session, incident_id: int, field: str) -> tuple[Incident, RapidReview]:
        """The incident and its Rapid Review (made now if it has none), refusing a closed case, one whose
        Rapid Review was sent, or one whose notification needs none."""
        inc = self.load(s, Incident, "incident", incident_id)
        rr = inc.rapid_review
        if rr is None:
            self._open(inc, None)
            rr = self._new_rapid_review(s, inc)
        self._open(inc, rr)
        return inc, rr

    def _report_of(self, s: Session, incident_id: int, rr_version: int | None) -> tuple[Incident, RapidReview | None]:
        """An open incident and its Rapid Review at the version the user loaded (None: there was none yet, and
        none may have been made since)."""
        inc = self.load(s, Incident, "incident", incident_id)
        if inc.stage == Stage.CLOSED:
            raise ValidationError.one("Stage", f"{inc.local_ref} is closed; nothing more can be recorded on it")
        rr = inc.rapid_review
        if rr is not None:
            rr = self.load(s, RapidReview, "Rapid Review", rr.id, rr_version if rr_version is not None else -1)
        return inc, rr

    def _new_rapid_review(self, s: Session, inc: Incident) -> RapidReview:
        """The incident's Rapid Review, begun now by its first record (refused when the notification needs none)."""
        self._needs_one(inc)
        rr = RapidReview(incident=inc)
        s.add(rr)
        return rr

    def _part_of_unsent[P: AgencyReturn | PartnerAgreement](
            self, s: Session, model: type[P], what: str, row_id: int, version: int) -> tuple[P, RapidReview, Incident]:
        """A return or an agreement at the version the user loaded, with its Rapid Review and incident, refused
        once the case is closed or the Rapid Review sent."""
        row = self.load(s, model, what, row_id, version)
        rr = row.rapid_review
        self._open(rr.incident, rr)
        return row, rr, rr.incident

    @staticmethod
    def _needs_one(inc: Incident) -> None:
        if not inc.rapid_review_required:
            raise ValidationError.one("Rapid Review", f"{inc.local_ref}'s notification needs no Rapid Review; choose "
                                      "to hold one first")

    @staticmethod
    def _open(inc: Incident, rr: RapidReview | None) -> None:
        if inc.stage == Stage.CLOSED:
            raise ValidationError.one("Stage", f"{inc.local_ref} is closed; nothing more can be recorded on it")
        if rr is not None and rr.sent_date is not None:
            raise ValidationError.one("Rapid Review", f"was sent to the Panel on {rr.sent_date:%d/%m/%Y}; its "
                                      "agency returns and sign-off are final")

    @staticmethod
    def _done(s: Session, inc: Incident) -> Op[IncidentView]:
        s.flush()
        return Op(incident_view(s, inc), Changes().add("incident", inc.id))


__all__ = ["LocalReviewGrounds", "RapidReviewManager", "RapidReviewReport", "ReturnState", "Timeliness"]
