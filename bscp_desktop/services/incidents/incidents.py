"""Incidents: register, edit, notify the Panel, record the Rapid Review, the decision and the Panel's response,
close. Every public method that writes is one transaction with its audit entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bscp_desktop.domain.case_numbers import financial_year_label, financial_year_start
from bscp_desktop.domain.notification import is_adult, needs_rapid_review
from bscp_desktop.domain.vocab import (
    DECISIONS,
    Decision,
    PanelReply,
    Partner,
    Role,
    Stage,
)
from bscp_desktop.models import Incident, RapidReview
from bscp_desktop.services.core.base import Manager, diff, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.incidents.children import (
    CHILD_FIELDS,
    set_children,
)
from bscp_desktop.services.incidents.input import IncidentInput, check_incident, incident_columns
from bscp_desktop.services.incidents.local_review_criteria import unanswered
from bscp_desktop.services.incidents.panel_details import COLUMNS as PANEL_COLUMNS
from bscp_desktop.services.incidents.panel_details import (
    with_default_notifier,
)
from bscp_desktop.services.incidents.views import IncidentView, incident_view
from bscp_desktop.util.text import identifier

AWARE = "the date the local authority became aware"
_FIELDS = ["categories", "incident_date", "became_aware", "local_authority", "lead_officer", "notes",
           "notification_reason", "abuse_suspected", "rapid_review_chosen", *PANEL_COLUMNS]
_RR_FIELDS = ["meeting_date", "sent_date", "decision", "decision_date", "decision_reasons", "immediate_learning",
              "panel_response_date", "panel_reply", "panel_view", "sent_without_sign_off"]


class IncidentManager(Manager):
    """The incident register."""

    # -- reading ----------------------------------------------------------------------------------------
    def get(self, incident_id: int) -> IncidentView:
        """One incident with its Rapid Review and reviews; ``NotFound`` if there is none."""
        with self.db.read() as s:
            inc = self.load(s, Incident, "incident", incident_id)
            return incident_view(s, inc)

    def count(self) -> int:
        """How many incidents the register holds."""
        with self.db.read() as s:
            return s.scalar(select(func.count(Incident.id))) or 0

    # -- writing ----------------------------------------------------------------------------------------
    @requires(Role.EDITOR, "record an incident")
    def register(self, data: IncidentInput) -> Op[IncidentView]:
        """Add an incident to the register, numbered within the financial year it became known."""
        settings = self.svc.settings.get()
        data = replace(data, panel=with_default_notifier(data.panel, settings.notifier))  # as the form offers it
        self._validate(data)
        assert data.became_aware is not None
        fy = financial_year_start(data.became_aware)
        with self.db.write() as s:
            seq = self.next_number(s, f"incident:{fy}", lambda: highest_sequence(s, fy))
            inc = Incident(
                local_ref=f"{settings.incident_prefix}{financial_year_label(fy)}/{seq:03d}",
                financial_year=fy, sequence=seq, stage=Stage.NOTIFICATION,
                local_authority=data.local_authority.strip() or settings.local_authority,
                **incident_columns(data, exclude=("local_authority",)),
            )
            set_children(inc, data.child_list())
            s.add(inc)
            s.flush()
            self.audit(s, "register incident", "incident", inc.id, inc.local_ref, None, self._snapshot(inc))
            view = incident_view(s, inc)
        return Op(view, Changes().add("incident", view.id))

    @requires(Role.EDITOR, "change an incident")
    def update(self, incident_id: int, version: int, data: IncidentInput) -> Op[IncidentView]:
        """Save edits to an incident's details, checked against the version the user loaded."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._validate(data, inc)
            before = self._snapshot(inc)
            for k, v in incident_columns(data).items():
                setattr(inc, k, v)
            set_children(inc, data.child_list())
            self._settle_stage(inc)
            s.flush()
            b, a = diff(before, self._snapshot(inc))
            if a:
                self.audit(s, "edit incident", "incident", inc.id, inc.local_ref, b, a)
            view = incident_view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "record a notification to the Panel")
    def record_notification(self, incident_id: int, version: int, notified: dt.date | None,
                            panel_reference: str = "") -> Op[IncidentView]:
        """Record that the Panel was notified on ``notified``: the Rapid Review clock starts."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            c = Checker()
            self.required_date(c, "Notification date", notified, inc.became_aware, AWARE)
            c.require(len(identifier(panel_reference)) <= 60, "Panel reference", "must be at most 60 characters")
            c.raise_if_any()
            before = snapshot(inc, ["notified_date", "panel_reference", "stage"])
            inc.notified_date = notified
            inc.panel_reference = identifier(panel_reference)
            if inc.stage == Stage.NOTIFICATION:
                inc.stage = Stage.RAPID_REVIEW
            self._settle_stage(inc)
            s.flush()
            self.audit(s, "record notification", "incident", inc.id, inc.local_ref, before,
                       snapshot(inc, ["notified_date", "panel_reference", "stage"]))
            view = incident_view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "choose whether to hold a Rapid Review")
    def choose_rapid_review(self, incident_id: int, version: int, chosen: bool) -> Op[IncidentView]:
        """Hold a Rapid Review the notification reason does not need (a care leaver's death with no suspicion of
        abuse or neglect), or stop holding one: the Rapid Review clock follows."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            rr = inc.rapid_review
            c = Checker()
            c.require(chosen or rr is None or rr.sent_date is None, "Rapid Review",
                      "has been sent to the Panel; it cannot be undone")
            c.raise_if_any()
            before = snapshot(inc, ["rapid_review_chosen"])
            inc.rapid_review_chosen = chosen
            inc.rapid_review_required = needs_rapid_review(inc.notification_reason, inc.abuse_suspected, chosen,
                                                           is_adult(ch.age_band for ch in inc.children))
            self._settle_stage(inc)
            s.flush()
            self.audit(s, "choose rapid review" if chosen else "no rapid review", "incident", inc.id,
                       inc.local_ref, before, snapshot(inc, ["rapid_review_chosen"]))
            view = incident_view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "record a Rapid Review")
    def record_rapid_review(self, incident_id: int, version: int, sent: dt.date | None,
                            meeting: dt.date | None = None, immediate_learning: str = "") -> Op[IncidentView]:
        """Record the Rapid Review meeting and the date it was sent to the Panel (meets the Rapid Review clock).
        Refused until the three statutory partners have agreed it."""
        return self._record_sent(incident_id, version, sent, meeting, immediate_learning, "")

    @requires(Role.ADMIN, "record a Rapid Review sent before the partners agreed it")
    def record_rapid_review_without_sign_off(self, incident_id: int, version: int, sent: dt.date | None,
                                             reason: str, meeting: dt.date | None = None,
                                             immediate_learning: str = "") -> Op[IncidentView]:
        """Record a Rapid Review sent before all three statutory partners agreed it, with why (audited)."""
        if not reason.strip():
            raise ValidationError.one("Reason", "say why the Rapid Review went before all three partners agreed")
        return self._record_sent(incident_id, version, sent, meeting, immediate_learning, reason.strip())

    def _record_sent(self, incident_id: int, version: int, sent: dt.date | None, meeting: dt.date | None,
                     immediate_learning: str, override: str) -> Op[IncidentView]:
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            c = Checker()
            if not c.require(inc.notified_date is not None, "Sent to the Panel",
                             "record the notification to the Panel first: the Rapid Review clock starts there"):
                c.raise_if_any()
            assert inc.notified_date is not None
            if meeting is not None:
                c.require(meeting >= inc.notified_date, "Meeting date",
                          f"cannot be before the notification ({inc.notified_date:%d/%m/%Y})")
                self.not_future(c, "Meeting date", meeting)
            if c.require(sent is not None, "Sent to the Panel", "is required"):
                assert sent is not None
                c.require(sent >= inc.notified_date, "Sent to the Panel",
                          f"cannot be before the notification ({inc.notified_date:%d/%m/%Y})")
                c.require(meeting is None or sent >= meeting, "Sent to the Panel",
                          "cannot be before the Rapid Review meeting")
                self.not_future(c, "Sent to the Panel", sent)
            agreed = {a.partner for a in inc.rapid_review.agreements} if inc.rapid_review else set()
            missing = [p.label.lower() for p in Partner if p not in agreed]
            if not override:
                c.require(not missing, "Sent to the Panel",
                          "the three safeguarding partners must agree the Rapid Review before it is sent; still to "
                          f"agree: {', '.join(missing)} (an administrator can record why it went without)")
            c.raise_if_any()
            rr = inc.rapid_review or RapidReview(incident=inc)
            before = snapshot(rr, _RR_FIELDS) if rr.id else None
            rr.meeting_date, rr.sent_date = meeting, sent
            if immediate_learning.strip():
                rr.immediate_learning = immediate_learning.strip()
            rr.sent_without_sign_off = override if missing else ""
            if inc.stage in (Stage.NOTIFICATION, Stage.RAPID_REVIEW):
                inc.stage = Stage.DECISION
            s.add(rr)
            s.flush()
            self.audit(s, "record rapid review" if not rr.sent_without_sign_off else
                       "record rapid review without sign-off", "incident", inc.id, inc.local_ref, before,
                       snapshot(rr, _RR_FIELDS))
            view = incident_view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "record a Rapid Review decision")
    def record_decision(self, incident_id: int, version: int, decision: str, decided: dt.date | None,
                        reasons: str = "") -> Op[IncidentView]:
        """Record the partnership's decision after the Rapid Review: LCSPR, another review, or none (reasons)."""
        with self.db.write() as s:
            inc, rr = self._after_rapid_review(s, incident_id, version, "Decision")
            c = Checker()
            assert inc.notified_date is not None
            c.require(decision in DECISIONS, "Decision", f"must be one of: {', '.join(DECISIONS.values())}")
            self.required_date(c, "Decision date", decided, inc.notified_date, "the notification")
            c.require(decision != Decision.NO_REVIEW or bool(reasons.strip()), "Reasons",
                      "are required when no local review is to be undertaken")
            if decision == Decision.NO_REVIEW and (missing := unanswered(rr.local_review_criteria)):
                c.require(False, "Local review criteria",
                          "answer each criterion with its reasons before deciding on no local review (Rapid Review › "
                          f"Local review criteria…); not yet answered: {', '.join(m.short_label for m in missing)}")
            c.raise_if_any()
            before = snapshot(rr, _RR_FIELDS)
            rr.decision, rr.decision_date, rr.decision_reasons = decision, decided, reasons.strip()
            if inc.stage in (Stage.DECISION, Stage.NO_REVIEW, Stage.COMMISSIONING):
                inc.stage = Stage.NO_REVIEW if decision == Decision.NO_REVIEW else Stage.COMMISSIONING
            s.flush()
            b, a = diff(before, snapshot(rr, _RR_FIELDS))
            self.audit(s, "record decision", "incident", inc.id, f"{inc.local_ref}: {DECISIONS[decision]}", b, a)
            view = incident_view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "record the Panel's response")
    def record_panel_response(self, incident_id: int, version: int, responded: dt.date | None,
                              view_text: str, reply: str = PanelReply.AGREES) -> Op[IncidentView]:
        """Record the National Panel's response to the Rapid Review: agrees, disagrees or asks for more, and what
        it said (of an open case, as every step)."""
        with self.db.write() as s:
            inc, rr = self._after_rapid_review(s, incident_id, version, "Panel response date")
            c = Checker()
            assert rr.sent_date is not None
            self.required_date(c, "Panel response date", responded, rr.sent_date, "the Rapid Review was sent")
            c.require(reply in PanelReply.labels(), "Panel reply",
                      f"must be one of: {', '.join(p.label for p in PanelReply)}")
            c.require(bool(view_text.strip()), "Panel view", "must say what the Panel concluded")
            c.raise_if_any()
            before = snapshot(rr, _RR_FIELDS)
            rr.panel_response_date, rr.panel_view, rr.panel_reply = responded, view_text.strip(), reply
            s.flush()
            b, a = diff(before, snapshot(rr, _RR_FIELDS))
            self.audit(s, "record panel response", "incident", inc.id, inc.local_ref, b, a)
            view = incident_view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "close an incident")
    def close(self, incident_id: int, version: int, closed: dt.date | None, reason: str) -> Op[IncidentView]:
        """Close a case: its clocks stop and it leaves the open registers."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            c = Checker()
            self.required_date(c, "Closed on", closed, inc.became_aware, AWARE)
            c.require(bool(reason.strip()), "Reason", "say why the case is closed")
            c.raise_if_any()
            before = snapshot(inc, ["stage", "closed_date", "closed_reason"])
            inc.stage, inc.closed_date, inc.closed_reason = Stage.CLOSED, closed, reason.strip()
            s.flush()
            self.audit(s, "close incident", "incident", inc.id, inc.local_ref, before,
                       snapshot(inc, ["stage", "closed_date", "closed_reason"]))
            view = incident_view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    def check(self, data: IncidentInput) -> None:
        """Raise ``ValidationError`` with every rule a new incident's details break (the form's rules)."""
        self._validate(data)

    # -- helpers ----------------------------------------------------------------------------------------
    def _validate(self, d: IncidentInput, existing: Incident | None = None) -> None:
        check_incident(d, existing, partial(self.not_future))

    def _after_rapid_review(self, s: Session, incident_id: int, version: int, field: str
                            ) -> tuple[Incident, RapidReview]:
        """An open incident at the version the user loaded whose Rapid Review was sent (what the decision and the
        Panel's response follow); refused naming ``field`` when it was not."""
        inc = self.load(s, Incident, "incident", incident_id, version)
        self._open(inc)
        rr = inc.rapid_review
        if rr is None or rr.sent_date is None:
            raise ValidationError.one(field, "record the Rapid Review first")
        return inc, rr

    @staticmethod
    def _settle_stage(inc: Incident) -> None:
        """A notified case whose Rapid Review is not yet sent waits for it when its reason needs one, and has no
        review to wait for when it does not (a care leaver's death with no suspicion of abuse or neglect)."""
        rr = inc.rapid_review
        if inc.notified_date is None or (rr is not None and rr.sent_date is not None):
            return
        if inc.stage in (Stage.RAPID_REVIEW, Stage.NO_REVIEW):
            inc.stage = Stage.RAPID_REVIEW if inc.rapid_review_required else Stage.NO_REVIEW

    @staticmethod
    def _open(inc: Incident) -> None:
        if inc.stage == Stage.CLOSED:
            raise ValidationError.one("Stage", f"{inc.local_ref} is closed; nothing more can be recorded on it")


    @staticmethod
    def _snapshot(inc: Incident) -> dict[str, object]:
        """The incident's audited fields with its children's: the first child's by their names ("pseudonym"),
        the others' by the child's place ("child 2 pseudonym"), so the audit log shows what changed for whom."""
        out = snapshot(inc, _FIELDS)
        for ch in inc.children:
            prefix = "" if ch.position == 1 else f"child {ch.position} "
            out |= {f"{prefix}{k}": v for k, v in snapshot(ch, CHILD_FIELDS).items()}
        return out


def highest_sequence(s: Session, fy: int) -> int:
    """The highest incident number used in financial year ``fy`` (0 for none): where numbering carries on."""
    return s.scalar(select(func.max(Incident.sequence)).where(Incident.financial_year == fy)) or 0


__all__ = ["AWARE", "IncidentManager", "highest_sequence"]
