"""Importing a review's action plan from a spreadsheet: the recommendations and the agency actions that
implement them, as partnerships keep them in Excel while a review is under way.

One row is one action; rows with the same recommendation number belong to the same recommendation (its text
may be on the first of them only, as in a sheet with merged cells). A number the review already has adds the
actions to that recommendation; a new number needs its text. ``check`` reports every problem by row and column
and writes nothing; ``apply`` adds every recommendation and action in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bscp_desktop.domain.vocab import ACTION_STATUSES, RECOMMENDATION_SCOPES, ActionStatus, Role
from bscp_desktop.models import Action, Agency, Recommendation, Review
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.exchange.sheet import Cells, RowProblem, SheetPlan, normalise, read_sheet
from bscp_desktop.services.reviews.actions import ActionInput

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("Recommendation number", "Rec no", "Rec", "No", "Number", "Ref"),
    "recommendation": ("Recommendation", "Recommendation text"),
    "scope": ("Scope",),
    "action": ("Action", "Actions", "Action to be taken"),
    "agency": ("Agency", "Lead agency", "Organisation"),
    "owner": ("Owner", "Lead", "Lead officer", "Responsible officer"),
    "due": ("Due date", "Due", "Target date"),
    "status": ("Status", "Progress"),
    "completed": ("Completed on", "Date completed", "Completed"),
    "evidence": ("Evidence", "Evidence notes"),
    "not_accepted_reason": ("Reason not accepted",),
    "assured_by": ("Assured by",),
    "assured_date": ("Assured on", "Date assured"),
}
LABELS = {name: aliases[0] for name, aliases in COLUMNS.items()}
REQUIRED = ("number", "action")
_STATUS_SYNONYMS = {"complete": ActionStatus.COMPLETED, "done": ActionStatus.COMPLETED,
                    "ongoing": ActionStatus.IN_PROGRESS, "open": ActionStatus.NOT_STARTED,
                    "started": ActionStatus.IN_PROGRESS, "rejected": ActionStatus.NOT_ACCEPTED}


@dataclass(frozen=True)
class ActionRow:
    """One action of the plan, with the recommendation it implements."""

    line: int
    number: int
    recommendation: str
    scope: str
    action: ActionInput


@dataclass(frozen=True)
class ActionPlan(SheetPlan[ActionRow]):
    """A checked action plan for one review."""

    review_id: int = 0
    review_reference: str = ""
    existing: frozenset[int] = frozenset()  # recommendation numbers the review had when the file was checked

    def new_recommendations(self) -> dict[int, tuple[str, str]]:
        """Numbers the review does not have yet → (text, scope), from the first row that gives the text."""
        out: dict[int, tuple[str, str]] = {}
        for r in self.rows:
            if r.recommendation and r.number not in out and r.number not in self.existing:
                out[r.number] = (r.recommendation, r.scope or "local")
        return out


class ActionPlanImportManager(Manager):
    """Checks and imports action plans kept in spreadsheets."""

    def check(self, path: Path, review_id: int) -> ActionPlan:
        """Read ``path`` as the action plan of review ``review_id`` and check every row; nothing is written."""
        path = Path(path)
        sheet = read_sheet(path, COLUMNS, REQUIRED)
        problems: list[RowProblem] = []
        with self.db.read() as s:  # one read for the whole file: the review, its numbers, the agencies
            review = self.load(s, Review, "review", review_id)
            reference = review.case_reference or ""
            have = set(s.scalars(select(Recommendation.number).where(Recommendation.review_id == review_id)))
            names = {n: i for i, full, short in s.execute(select(Agency.id, Agency.name, Agency.short_name))
                     for n in (full, short) if n}
            agencies = {normalise(n): i for n, i in names.items()}
            rows = [r for line, cells in sheet.rows
                    if (r := self._row(s, Cells(line, cells, LABELS, problems), agencies, list(names))) is not None]
        texts = {r.number for r in rows if r.recommendation}
        for r in rows:
            if r.number not in have and r.number not in texts:
                problems.append(RowProblem(r.line, LABELS["recommendation"],
                                           f"is needed: {reference} has no recommendation {r.number} yet"))
                texts.add(r.number)  # once per number
        return ActionPlan.checked(path, rows, problems, sheet, review_id=review_id, review_reference=reference,
                                  existing=frozenset(have))

    @requires(Role.EDITOR, "import an action plan")
    def apply(self, plan: ActionPlan) -> Op[int]:
        """Add every recommendation and action of a plan with no problems, in one transaction; returns how
        many actions."""
        plan.require_ok("actions")
        new = plan.new_recommendations()
        ids: list[int] = []
        with self.db.write() as s:
            review = self.load(s, Review, "review", plan.review_id)
            recs = {r.number: r for r in s.scalars(select(Recommendation)
                                                   .where(Recommendation.review_id == review.id))}
            for number, (text, scope) in sorted(new.items()):
                if number in recs:
                    continue  # the review has it: the rows' text is not applied over the recorded one
                rec = Recommendation(review_id=review.id, number=number, text=text, scope=scope)
                s.add(rec)
                recs[number] = rec
            s.flush()
            for r in plan.rows:
                if r.number not in recs:
                    raise ValidationError.one(f"Row {r.line}: {LABELS['recommendation']}",
                                              f"is needed: {plan.review_reference} has no recommendation {r.number}")
                act = Action(recommendation_id=recs[r.number].id, **self.svc.actions.columns(r.action))
                s.add(act)
                s.flush()
                ids.append(act.id)
            self.audit(s, "import action plan", "review", review.id,
                       f"{review.case_reference}: {len(ids)} actions from {plan.source.name}",
                       None, {"recommendations": sorted(new), "actions": len(ids)})
        return Op(len(ids), Changes().add_all("action", ids).add("review", plan.review_id))

    def _row(self, s: Session, c: Cells, agencies: dict[str, int], names: list[str]) -> ActionRow | None:
        """One row read and checked; None when it has problems (recorded in ``c``). ``agencies``: normalised
        name or short name → id; ``names``: the names as written, for suggestions."""
        before = len(c.problems)
        number = 0
        text = c.text("number")
        m = re.fullmatch(r"(?:r|rec|recommendation)?\s*\.?\s*(\d{1,3})", text.lower())
        if m and int(m[1]) >= 1:
            number = int(m[1])
        else:
            c.problem("number", f"'{text}' is not a recommendation number such as 1 or R1" if text else "is required")
        agency_id = None
        if name := c.text("agency"):
            agency_id = agencies.get(normalise(name))
            if agency_id is None:
                close = get_close_matches(name, names, n=1, cutoff=0.75)
                c.problem("agency", f"'{name}' is not on the list of agencies"
                          + (f": did you mean {close[0]}?" if close else ""))
        data = ActionInput(c.text("action"), agency_id, c.text("owner"), c.date("due"),
                           c.choice("status", ACTION_STATUSES, _STATUS_SYNONYMS) or ActionStatus.NOT_STARTED,
                           c.text("not_accepted_reason"), c.text("evidence"), c.date("completed"),
                           c.text("assured_by"), c.date("assured_date"))
        scope = c.choice("scope", RECOMMENDATION_SCOPES)
        if len(c.problems) == before:
            try:
                self.svc.actions.check(data, s)
            except ValidationError as e:
                for p in e.problems:
                    c.problems.append(RowProblem(c.line, p.field, p.message))
        return ActionRow(c.line, number, c.text("recommendation"), scope, data) if len(c.problems) == before \
            else None


__all__ = ["ActionPlan", "ActionPlanImportManager", "ActionRow"]
