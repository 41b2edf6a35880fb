"""Learning into practice: a review's numbered recommendations and the agency actions that implement them, with
evidence and assurance. Overdue actions join the dashboard and the deadlines report.

Rules: "not accepted" needs a reason; "completed" a completion date; "assured" needs evidence (notes or a
document) *and* an assurance sign-off (who and when). A bulk status change is one transaction: every action
changes or none does.

The dashboard and the deadlines report read actions as plain columns (``overdue_clocks``, ``schema``'s tables), so
the ORM classes are imported inside the methods that load or write objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select

from bscp_desktop import schema
from bscp_desktop.domain.rules import Rag, amber_window_end
from bscp_desktop.domain.vocab import (
    ACTION_DONE,
    ACTION_STATUSES,
    RECOMMENDATION_SCOPES,
    ActionStatus,
    ReviewStatus,
    Role,
)
from bscp_desktop.services.core.base import Manager, diff, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, Problem, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.util.text import abbreviated

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bscp_desktop.models import Action

_FIELDS = ["agency_id", "description", "owner", "due_date", "status", "not_accepted_reason", "evidence_notes",
           "completed_date", "assured_by", "assured_date"]


@dataclass(frozen=True)
class ActionInput:
    """What the action form collects."""

    description: str
    agency_id: int | None
    owner: str = ""
    due_date: dt.date | None = None
    status: str = ActionStatus.NOT_STARTED
    not_accepted_reason: str = ""
    evidence_notes: str = ""
    completed_date: dt.date | None = None
    assured_by: str = ""
    assured_date: dt.date | None = None


@dataclass(frozen=True)
class ActionView:
    """An action with its recommendation, review, agency and RAG as of today."""

    id: int
    version: int
    recommendation_id: int
    recommendation_number: int
    recommendation_text: str
    review_id: int
    review_reference: str
    agency_id: int | None
    agency: str
    description: str
    owner: str
    due_date: dt.date | None
    status: str
    not_accepted_reason: str
    evidence_notes: str
    evidence_documents: int
    completed_date: dt.date | None
    assured_by: str
    assured_date: dt.date | None
    rag: Rag | None

    @property
    def status_label(self) -> str:
        """The status as staff read it."""
        return ACTION_STATUSES.get(self.status, self.status)

    @property
    def overdue(self) -> bool:
        """Not finished and its due date has passed."""
        return self.rag is Rag.OVERDUE


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation and its actions."""

    id: int
    version: int
    review_id: int
    number: int
    text: str
    scope: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class ActionFilter:
    """What the Actions page shows."""

    agency_id: int | None = None
    status: str = ""  # a status, "open" (not finished) or ""
    review_id: int | None = None
    overdue_only: bool = False
    text: str = ""


class ActionManager(Manager):
    """Recommendations and actions."""

    # -- recommendations --------------------------------------------------------------------------------
    def recommendations(self, review_id: int) -> list[RecommendationView]:
        """A review's recommendations in number order, each with its actions."""
        from bscp_desktop.models import Recommendation, Review

        with self.db.read() as s:
            self.load(s, Review, "review", review_id)
            recs = s.scalars(select(Recommendation).where(Recommendation.review_id == review_id)
                             .order_by(Recommendation.number)).all()
            actions = self._views(s, select(schema.actions).where(schema.actions.c.recommendation_id.in_([r.id for r in recs])))
            return [RecommendationView(r.id, r.version, r.review_id, r.number, r.text, r.scope,
                                       tuple(a for a in actions if a.recommendation_id == r.id)) for r in recs]

    @requires(Role.EDITOR, "add a recommendation")
    def add_recommendation(self, review_id: int, text: str, scope: str = "local",
                           number: int | None = None) -> Op[RecommendationView]:
        """Add a recommendation to a review, numbered next unless ``number`` is given."""
        from bscp_desktop.models import Recommendation, Review

        c = Checker()
        c.require(bool(text.strip()), "Recommendation", "is required")
        c.require(scope in RECOMMENDATION_SCOPES, "Scope", "must be local or national")
        c.require(number is None or number >= 1, "Number", "must be 1 or more")
        c.raise_if_any()
        with self.db.write() as s:
            review = self.load(s, Review, "review", review_id)
            used = set(s.scalars(select(Recommendation.number).where(Recommendation.review_id == review_id)))
            n = number if number is not None else max(used, default=0) + 1
            if n in used:
                raise ValidationError.one("Number", f"{review.case_reference} already has recommendation {n}")
            rec = Recommendation(review_id=review_id, number=n, text=text.strip(), scope=scope)
            s.add(rec)
            s.flush()
            self.audit(s, "add recommendation", "review", review_id, f"{review.case_reference} R{n}", None,
                       {"number": n, "text": rec.text, "scope": scope})
            view = RecommendationView(rec.id, rec.version, review_id, n, rec.text, scope, ())
        return Op(view, Changes().add("action").add("review", review_id))

    def review_choices(self) -> list[tuple[int, str]]:
        """Reviews that can carry recommendations (final report received, published or not), newest first."""
        from bscp_desktop.models import Review

        with self.db.read() as s:
            return [(i, ref or "") for i, ref in s.execute(
                select(Review.id, Review.case_reference)
                .where(Review.status.in_((ReviewStatus.FINAL_REPORT, ReviewStatus.PUBLISHED, ReviewStatus.UNPUBLISHED)))
                .order_by(Review.case_reference.desc()))]

    def recommendation_choices(self) -> list[tuple[int, str]]:
        """Every recommendation as "BSCP2021-22/02 R3: text", for choosing where an action belongs."""
        from bscp_desktop.models import Recommendation, Review

        with self.db.read() as s:
            return [(rid, f"{ref} R{n}: {abbreviated(text, 80)}") for rid, ref, n, text in s.execute(
                select(Recommendation.id, Review.case_reference, Recommendation.number, Recommendation.text)
                .join(Review, Review.id == Recommendation.review_id)
                .order_by(Review.case_reference.desc(), Recommendation.number))]

    # -- actions ----------------------------------------------------------------------------------------
    @requires(Role.EDITOR, "add an action")
    def add(self, recommendation_id: int, data: ActionInput) -> Op[ActionView]:
        """Add an action to a recommendation."""
        from bscp_desktop.models import Action, Recommendation

        with self.db.write() as s:
            rec = self.load(s, Recommendation, "recommendation", recommendation_id)
            self._validate(s, data, None)
            act = Action(recommendation_id=rec.id, **self.columns(data))
            s.add(act)
            s.flush()
            self.audit(s, "add action", "action", act.id, abbreviated(data.description.strip(), 80), None, snapshot(act, _FIELDS))
            view = self._views(s, select(schema.actions).where(Action.id == act.id))[0]
        return Op(view, Changes().add("action", view.id))

    def check(self, data: ActionInput, s: Session | None = None) -> None:
        """Raise ``ValidationError`` with every rule a new action breaks (the action form's rules); in session
        ``s`` when given (an import checks many rows in one read)."""
        if s is not None:
            self._validate(s, data, None)
            return
        with self.db.read() as session:
            self._validate(session, data, None)

    @requires(Role.EDITOR, "change an action")
    def update(self, action_id: int, version: int, data: ActionInput) -> Op[ActionView]:
        """Save an action's changes (status, evidence, assurance…), checked against the version loaded."""
        from bscp_desktop.models import Action

        with self.db.write() as s:
            act = self.load(s, Action, "action", action_id, version)
            self._validate(s, data, act)
            before = snapshot(act, _FIELDS)
            for k, v in self.columns(data).items():
                setattr(act, k, v)
            s.flush()
            b, a = diff(before, snapshot(act, _FIELDS))
            if a:
                self.audit(s, "edit action", "action", act.id, abbreviated(act.description, 80), b, a)
            view = self._views(s, select(schema.actions).where(Action.id == act.id))[0]
        return Op(view, Changes().add("action", action_id))

    def get(self, action_id: int) -> ActionView:
        """One action."""
        from bscp_desktop.models import Action

        with self.db.read() as s:
            self.load(s, Action, "action", action_id)
            return self._views(s, select(schema.actions).where(Action.id == action_id))[0]

    def find(self, f: ActionFilter | None = None, as_of: dt.date | None = None) -> list[ActionView]:
        """Actions matching ``f`` with their RAG as of ``as_of`` (today): overdue first, then by due date."""
        from bscp_desktop.models import Action, Recommendation

        f = f or ActionFilter()
        as_of = as_of or self.today()
        q = select(schema.actions).join(Recommendation, Recommendation.id == Action.recommendation_id)
        if f.agency_id is not None:
            q = q.where(Action.agency_id == f.agency_id)
        if f.status == "open":
            q = q.where(Action.status.not_in(ACTION_DONE))
        elif f.status:
            q = q.where(Action.status == f.status)
        if f.review_id is not None:
            q = q.where(Recommendation.review_id == f.review_id)
        if f.overdue_only:
            q = q.where(Action.status.not_in(ACTION_DONE), Action.due_date < as_of)
        if f.text.strip():
            like = f"%{f.text.strip()}%"
            q = q.where(Action.description.ilike(like) | Action.owner.ilike(like) | Recommendation.text.ilike(like))
        with self.db.read() as s:
            views = self._views(s, q, as_of)
        order = {Rag.OVERDUE: 0, Rag.DUE: 1, Rag.ON_TRACK: 2, None: 3, Rag.MET: 4, Rag.MET_LATE: 4}
        return sorted(views, key=lambda a: (order[a.rag], a.due_date or dt.date.max, a.review_reference,
                                            a.recommendation_number, a.id))

    @requires(Role.EDITOR, "change actions' status")
    def bulk_status(self, items: list[tuple[int, int]], status: str, on: dt.date | None = None,
                    reason: str = "") -> Op[list[ActionView]]:
        """Set the status of several actions (id, version) in one transaction: all change, or none does and the
        problems name each action that could not."""
        from bscp_desktop.models import Action

        if status not in ACTION_STATUSES:
            raise ValidationError.one("Status", f"must be one of: {', '.join(ACTION_STATUSES.values())}")
        if not items:
            raise ValidationError.one("Actions", "choose at least one action")
        with self.db.write() as s:
            problems: list[Problem] = []
            changed = []
            for action_id, version in items:
                act = self.load(s, Action, "action", action_id, version)
                data = ActionInput(act.description, act.agency_id, act.owner, act.due_date, status,
                                   reason or act.not_accepted_reason, act.evidence_notes,
                                   act.completed_date or (on if status in (ActionStatus.COMPLETED, ActionStatus.ASSURED) else None),
                                   act.assured_by, act.assured_date)
                try:
                    self._validate(s, data, act)
                except ValidationError as e:
                    problems += [Problem(f"Action {action_id}", f"{p.field}: {p.message}") for p in e.problems]
                    continue
                before = snapshot(act, _FIELDS)
                for k, v in self.columns(data).items():
                    setattr(act, k, v)
                s.flush()
                b, a = diff(before, snapshot(act, _FIELDS))
                self.audit(s, "bulk action status", "action", act.id, f"→ {ACTION_STATUSES[status]}", b, a)
                changed.append(act.id)
            if problems:
                raise ValidationError(problems)  # rolls back every change made above
            views = self._views(s, select(schema.actions).where(Action.id.in_(changed)))
        return Op(views, Changes().add_all("action", changed))

    def overdue_clocks(self, as_of: dt.date | None = None) -> list[ActionView]:
        """Open actions overdue or due within the amber window, for the dashboard and the deadlines report."""
        as_of = as_of or self.today()
        amber = amber_window_end(as_of, self.svc.calendar(), self.svc.cached_settings().amber_days)
        t = schema.actions.c
        with self.db.reading() as conn:  # plain columns: the dashboard and the deadlines report load no ORM
            return self._views(conn, select(schema.actions).where(t.status.not_in(ACTION_DONE), t.due_date <= amber),
                               as_of)

    # -- helpers ----------------------------------------------------------------------------------------
    def _validate(self, s: Session, d: ActionInput, existing: Action | None) -> None:
        from bscp_desktop.models import Agency, Document

        c = Checker()
        c.require(bool(d.description.strip()), "Action", "describe what the agency will do")
        c.require(d.status in ACTION_STATUSES, "Status", f"must be one of: {', '.join(ACTION_STATUSES.values())}")
        if d.agency_id is not None:
            c.require(s.get(Agency, d.agency_id) is not None, "Agency", "no longer exists")
        c.require(d.status != ActionStatus.NOT_ACCEPTED or bool(d.not_accepted_reason.strip()), "Reason",
                  "is required when an action is not accepted")
        if d.status in (ActionStatus.COMPLETED, ActionStatus.ASSURED):
            c.require(d.completed_date is not None, "Completed on", "is required once the action is completed")
        if d.completed_date is not None:
            self.not_future(c, "Completed on", d.completed_date)
        if d.status == ActionStatus.ASSURED:
            documents = 0
            if existing is not None:
                documents = s.scalar(select(func.count(Document.id)).where(Document.action_id == existing.id)) or 0
            c.require(bool(d.evidence_notes.strip()) or documents > 0, "Evidence",
                      "is required before an action is assured: notes or a document")
            c.require(bool(d.assured_by.strip()) and d.assured_date is not None, "Assurance",
                      "an action is assured only with a sign-off: who assured it and when")
        if d.assured_date is not None:
            c.require(d.assured_date <= self.today(), "Assurance", "cannot be dated in the future")
        c.raise_if_any()

    @staticmethod
    def columns(d: ActionInput) -> dict[str, object]:
        """An action's column values from the form's input."""
        return {"agency_id": d.agency_id, "description": d.description.strip(), "owner": d.owner.strip(),
                "due_date": d.due_date, "status": d.status, "not_accepted_reason": d.not_accepted_reason.strip(),
                "evidence_notes": d.evidence_notes.strip(), "completed_date": d.completed_date,
                "assured_by": d.assured_by.strip(), "assured_date": d.assured_date}

    def _views(self, s: Session | Connection, q: object, as_of: dt.date | None = None) -> list[ActionView]:
        """The actions ``q`` selects (a select of ``schema.actions``' columns: rows, never ORM objects), each with its
        recommendation, review, agency, evidence count and RAG as of ``as_of`` (in a write, as last flushed)."""
        as_of = as_of or self.today()
        cal = self.svc.calendar()
        amber = amber_window_end(as_of, cal, self.svc.cached_settings().amber_days)
        acts = s.execute(q).all()  # type: ignore[call-overload]
        if not acts:
            return []
        rec_t, rev_t, ag_t, doc_t = schema.recommendations.c, schema.reviews.c, schema.agencies.c, schema.documents.c
        recs = {r.id: r for r in s.execute(select(schema.recommendations).where(
            rec_t.id.in_({a.recommendation_id for a in acts})))}
        refs: dict[int, str | None] = dict(s.execute(select(rev_t.id, rev_t.case_reference).where(
            rev_t.id.in_({r.review_id for r in recs.values()}))).all())
        agencies: dict[int, str] = dict(s.execute(select(ag_t.id, ag_t.name)).all())
        docs: dict[int, int] = dict(s.execute(select(doc_t.action_id, func.count()).where(
            doc_t.action_id.in_([a.id for a in acts])).group_by(doc_t.action_id)).all())
        out = []
        for a in acts:
            r = recs[a.recommendation_id]
            if a.status in ACTION_DONE:
                rag = None if a.due_date is None or a.completed_date is None else (
                    Rag.MET if a.completed_date <= a.due_date else Rag.MET_LATE)
            elif a.due_date is None:
                rag = None
            else:
                rag = Rag.OVERDUE if a.due_date < as_of else Rag.DUE if a.due_date <= amber else Rag.ON_TRACK
            out.append(ActionView(a.id, a.version, r.id, r.number, r.text, r.review_id, refs.get(r.review_id) or "",
                                  a.agency_id, agencies.get(a.agency_id, "") if a.agency_id else "", a.description,
                                  a.owner, a.due_date, a.status, a.not_accepted_reason, a.evidence_notes,
                                  docs.get(a.id, 0), a.completed_date, a.assured_by, a.assured_date, rag))
        return out
