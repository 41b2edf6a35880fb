"""Importing an existing incident register from a spreadsheet, so a unit can move to the program without
retyping years of cases.

``check(path)`` reads the file and checks every row by the same rules as the forms (details, then the
lifecycle dates in order: notified, Rapid Review sent, decision, closed) and against the register (a reference
already used); it writes nothing. ``apply(plan)`` imports a plan with no problems in one transaction: every row
or none. Rows keep their own reference when the file has one (the register's numbering then continues after
it); the others are numbered as new incidents are. Each imported case is audited with the file it came from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bscp_desktop.domain.case_numbers import CaseReference, financial_year_label, financial_year_start, parse_reference
from bscp_desktop.domain.notification import is_adult, needs_rapid_review
from bscp_desktop.domain.vocab import (
    AGE_BANDS,
    CATEGORIES,
    DECISIONS,
    HARMS,
    SEXES,
    Answer,
    Decision,
    IncidentLocation,
    LocationType,
    NotificationReason,
    PlanStatus,
    Role,
    Stage,
)
from bscp_desktop.models import Incident, IncidentChild, RapidReview
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, Problem, ValidationError
from bscp_desktop.services.core.lengths import too_long
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.exchange.sheet import Cells, RowProblem, SheetPlan, read_sheet
from bscp_desktop.services.incidents.children import CHILD_FIELDS, ChildInput
from bscp_desktop.services.incidents.incidents import AWARE, highest_sequence
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.panel_details import PanelDetails, panel_columns, with_default_notifier
from bscp_desktop.services.partnership.clocks import ClockEngine
from bscp_desktop.services.partnership.due_keeper import DueKeeper
from bscp_desktop.util.text import identifier

# A child's columns beyond the first's pseudonym, harm, age band, sex and ethnicity; a second child and more go
# in "Child 2 pseudonym", "Child 2 harm"… (the Panel's form takes four children on a notification).
CHARACTERISTIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "disability": ("Disability",),
    "looked_after": ("Looked after",),
    "cp_plan": ("Child protection plan", "CP plan"),
    "cin_plan": ("Child in need plan", "CIN plan"),
    "known_to_services": ("Known to services", "Known to children's social care or other agencies"),
    "home_local_authority": ("Home local authority", "Home LA"),
}
CHILD_COLUMNS: dict[str, tuple[str, ...]] = {
    "pseudonym": ("Pseudonym",), "harm": ("Harm",), "age_band": ("Age band",), "sex": ("Sex",),
    "ethnicity": ("Ethnicity",), **CHARACTERISTIC_COLUMNS,
}
EXTRA_CHILDREN = 3
_ANSWER_SYNONYMS = {"y": "yes", "n": "no", "unknown": "not known", "true": "yes", "false": "no"}
_PLAN_SYNONYMS = {"yes": "current", "no": "never", "unknown": "not known", "past": "previous"}

# Field → the column headings that mean it (compared ignoring case and punctuation); the first is shown.
COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("Reference", "Local reference", "Case reference", "Ref"),
    "pseudonym": ("Pseudonym", "Child"),
    "harm": ("Harm", "Died or seriously harmed"),
    "became_aware": ("Became aware", "Date became aware", "Date LA became aware", "Aware"),
    "incident_date": ("Incident date", "Date of incident"),
    "age_band": ("Age band", "Age"),
    "sex": ("Sex", "Gender"),
    "ethnicity": ("Ethnicity",),
    "categories": ("Categories of abuse", "Categories", "Abuse"),
    "local_authority": ("Local authority", "LA"),
    "lead_officer": ("Lead officer", "Officer"),
    "notes": ("Notes", "Comments"),
    "notified": ("Notified to the Panel", "Notified", "Notification date", "Date notified"),
    "panel_reference": ("Panel reference",),
    "rr_meeting": ("Rapid Review meeting", "RR meeting"),
    "rr_sent": ("Rapid Review sent", "RR sent", "Rapid Review sent to the Panel"),
    "decision": ("Decision",),
    "decision_date": ("Decision date", "Date of decision"),
    "decision_reasons": ("Decision reasons", "Reasons"),
    "closed": ("Closed", "Closed on", "Date closed"),
    "closed_reason": ("Closed reason", "Reason closed", "Closure reason"),
    "notification_reason": ("Notification reason",),
    "abuse_suspected": ("Abuse or neglect suspected", "Abuse suspected"),
    "location": ("Where it happened", "Location"),
    "location_type": ("Kind of place", "Location type"),
    "place": ("Place",),
    "incident_time": ("Time of the incident", "Time"),
    "case_outline": ("Case outline for the Panel", "Case outline"),
    "notifier_name": ("Notifier's name", "Notifier"),
    "notifier_role": ("Notifier's role",),
    "notifier_phone": ("Notifier's telephone", "Notifier's phone"),
    "notifier_email": ("Notifier's e-mail", "Notifier's email"),
    **CHARACTERISTIC_COLUMNS,
    **{f"child{n}_{field}": tuple(f"Child {n} {alias.lower()}" for alias in aliases)
       for n in range(2, EXTRA_CHILDREN + 2) for field, aliases in CHILD_COLUMNS.items()},
}
LABELS = {name: aliases[0] for name, aliases in COLUMNS.items()}
REQUIRED = ("pseudonym", "harm", "became_aware")
_HARM_SYNONYMS = {"death": "died", "child death": "died", "serious harm": "seriously harmed",
                  "serious injury": "seriously harmed", "seriously injured": "seriously harmed"}
_DECISION_SYNONYMS = {"lcspr": Decision.LCSPR, "other": Decision.OTHER_REVIEW, "other review": Decision.OTHER_REVIEW,
                      "none": Decision.NO_REVIEW, "no review": Decision.NO_REVIEW, "no lcspr": Decision.NO_REVIEW}
_SEX_SYNONYMS = {"f": "female", "m": "male", "unknown": "not known", "girl": "female", "boy": "male"}


@dataclass(frozen=True)
class ImportRow:
    """One incident as the file describes it."""

    line: int
    reference: CaseReference | None
    details: IncidentInput
    notified: dt.date | None = None
    panel_reference: str = ""
    rr_meeting: dt.date | None = None
    rr_sent: dt.date | None = None
    decision: str = ""
    decision_date: dt.date | None = None
    decision_reasons: str = ""
    closed: dt.date | None = None
    closed_reason: str = ""

    @property
    def stage(self) -> str:
        """The lifecycle stage these dates put the case in."""
        if self.closed is not None:
            return Stage.CLOSED
        if self.notified is None:
            return Stage.NOTIFICATION
        if self.rr_sent is None:
            return Stage.RAPID_REVIEW
        if not self.decision:
            return Stage.DECISION
        return Stage.NO_REVIEW if self.decision == Decision.NO_REVIEW else Stage.COMMISSIONING


ImportPlan = SheetPlan[ImportRow]

BATCH = 2_000  # rows inserted per flush


class IncidentImportManager(Manager):
    """Checks and imports incident registers kept in spreadsheets."""

    def check(self, path: Path) -> ImportPlan:
        """Read ``path`` and check every row; nothing is written. ``SheetError`` when it is not a table at all."""
        path = Path(path)
        sheet = read_sheet(path, COLUMNS, REQUIRED)
        problems: list[RowProblem] = []
        rows = [r for line, cells in sheet.rows
                if (r := self._row(Cells(line, cells, LABELS, problems))) is not None]
        self._check_references(rows, problems)
        return ImportPlan.checked(path, rows, problems, sheet)

    @requires(Role.EDITOR, "import incidents")
    def apply(self, plan: ImportPlan) -> Op[int]:
        """Import every row of a plan that has no problems, in one transaction; returns how many."""
        plan.require_ok("incidents")
        taken: list[RowProblem] = []
        self._check_references(list(plan.rows), taken)  # again: a colleague may have added them since
        if taken:
            raise ValidationError([Problem(f"Row {p.line}: {p.field}", p.message) for p in taken])
        settings = self.svc.settings.get()
        clocks = self.svc.clocks.engine()
        announce = f"importing {len(plan.rows):,} incidents from {plan.source.name}"
        with self.long_write(announce), self.db.write() as s:
            rows = sorted((dataclasses.replace(r, details=dataclasses.replace(  # the partnership's notifier too
                r.details, panel=with_default_notifier(r.details.panel, settings.notifier))) for r in plan.rows),
                key=lambda r: (r.details.became_aware or dt.date.min, r.line))
            numbers = self._numbers(s, rows)
            records = [self._record(r, numbers[r.line], settings.incident_prefix, settings.local_authority, clocks)
                       for r in rows]
            # Plain multi-row inserts (no ORM unit of work, which inserts row by row to learn each id): the
            # write lock is held for seconds, not minutes. The ids come back by (financial year, sequence).
            ids = self._insert(s, records)
            children = [{"incident_id": ids[(rec["financial_year"], rec["sequence"])], "position": n, "version": 1,
                         **{f: getattr(child.cleaned(), f) for f in CHILD_FIELDS}}
                        for r, rec in zip(rows, records, strict=True)
                        for n, child in enumerate(r.details.child_list(), start=1)]
            for start in range(0, len(children), BATCH):
                s.connection().execute(insert(IncidentChild.__table__), children[start:start + BATCH])
            reviews = [{"incident_id": ids[(rec["financial_year"], rec["sequence"])], **self._rapid_review(r)}
                       for r, rec in zip(rows, records, strict=True) if r.rr_sent is not None or r.rr_meeting]
            for start in range(0, len(reviews), BATCH):
                s.connection().execute(insert(RapidReview.__table__), reviews[start:start + BATCH])
            self.audit_many(s, [("import incident", "incident", ids[(rec["financial_year"], rec["sequence"])],
                                 f"{rec['local_ref']} from {plan.source.name}") for rec in records])
            new_ids = [ids[(rec["financial_year"], rec["sequence"])] for rec in records]
        return Op(len(new_ids), Changes().add_all("incident", new_ids))

    @staticmethod
    def _insert(s: Session, records: list[dict[str, Any]]) -> dict[tuple[int, int], int]:
        """Insert the incidents in batches; returns each one's id by (financial year, sequence)."""
        for start in range(0, len(records), BATCH):
            s.connection().execute(insert(Incident.__table__), records[start:start + BATCH])
        years = sorted({rec["financial_year"] for rec in records})
        wanted = {(rec["financial_year"], rec["sequence"]) for rec in records}
        ids: dict[tuple[int, int], int] = {}
        for fy, seq, iid in s.execute(select(Incident.financial_year, Incident.sequence, Incident.id)
                                      .where(Incident.financial_year.between(years[0], years[-1]))):
            if (fy, seq) in wanted:
                ids[(fy, seq)] = iid
        return ids

    def _numbers(self, s: Session, rows: Sequence[ImportRow]) -> dict[int, tuple[int, int]]:
        """Each row's (financial year, sequence): its own reference's, or the next free number of its year,
        taken for the whole file at once; the register's numbering then continues after all of them."""
        out: dict[int, tuple[int, int]] = {}
        top: dict[int, int] = {}
        for r in rows:
            if r.reference is not None:
                out[r.line] = (r.reference.first_year, r.reference.sequence)
                top[r.reference.first_year] = max(top.get(r.reference.first_year, 0), r.reference.sequence)
        for fy, seq in top.items():
            self.raise_counter(s, f"incident:{fy}", max(seq, highest_sequence(s, fy)))
        s.flush()
        wanted: dict[int, list[ImportRow]] = {}
        for r in rows:
            if r.reference is None:
                assert r.details.became_aware is not None
                wanted.setdefault(financial_year_start(r.details.became_aware), []).append(r)
        for fy, group in wanted.items():
            last = self.take_numbers(s, f"incident:{fy}", len(group), partial(highest_sequence, s, fy))
            for offset, r in enumerate(group):
                out[r.line] = (fy, last - len(group) + 1 + offset)
        return out

    # -- rows -------------------------------------------------------------------------------------------
    def _row(self, c: Cells) -> ImportRow | None:
        before = len(c.problems)
        reference = None
        if ref_text := c.text("reference"):
            try:
                reference = parse_reference(ref_text)
            except ValueError as e:
                c.problem("reference", str(e).removeprefix(f"'{ref_text}' "))
        categories = []
        for part in c.text("categories").replace(";", ",").split(","):
            if part.strip():
                key = Cells(c.line, {"categories": part}, LABELS, c.problems).choice("categories", CATEGORIES)
                if key:
                    categories.append(key)
        suspected = c.choice("abuse_suspected", Answer.labels(), _ANSWER_SYNONYMS)
        details = IncidentInput(
            became_aware=c.date("became_aware"), incident_date=c.date("incident_date"), categories=tuple(categories),
            local_authority=c.text("local_authority"), lead_officer=c.text("lead_officer"), notes=c.text("notes"),
            children=self._children(c),
            notification_reason=c.choice("notification_reason", NotificationReason.labels(),
                                         {"Death of a care leaver under 25": NotificationReason.CARE_LEAVER_DEATH,
                                          "Care leaver": NotificationReason.CARE_LEAVER_DEATH,
                                          "Looked-after child": NotificationReason.LOOKED_AFTER_DEATH}) or
            NotificationReason.SERIOUS_INCIDENT, abuse_suspected=suspected != Answer.NO,
            panel=PanelDetails(
                location=c.choice("location", IncidentLocation.labels(), {"In the area": IncidentLocation.IN_AREA}),
                location_type=c.choice("location_type", LocationType.labels()), place=c.text("place"),
                incident_time=c.text("incident_time"), case_outline=c.text("case_outline"),
                **{key: c.text(key) for key in ("notifier_name", "notifier_role", "notifier_phone",
                                                "notifier_email")}))
        row = ImportRow(c.line, reference, details, c.date("notified"), c.text("panel_reference"),
                        c.date("rr_meeting"), c.date("rr_sent"), c.choice("decision", DECISIONS, _DECISION_SYNONYMS),
                        c.date("decision_date"), c.text("decision_reasons"), c.date("closed"),
                        c.text("closed_reason"))
        if len(c.problems) == before:  # the values read: now the rules the forms apply
            self._check_rules(row, c)
        return row if len(c.problems) == before else None

    @staticmethod
    def _children(c: Cells) -> tuple[ChildInput, ...]:
        """The row's children: the first from the plain columns, then each "Child N …" group that has any value."""
        out = []
        for prefix in ("", *(f"child{n}_" for n in range(2, EXTRA_CHILDREN + 2))):
            if prefix and not any(c.text(f"{prefix}{field}") for field in CHILD_COLUMNS):
                continue
            def answer(field: str, p: str = prefix) -> str:
                return c.choice(f"{p}{field}", Answer.labels(), _ANSWER_SYNONYMS) or Answer.NOT_KNOWN

            def plan(field: str, p: str = prefix) -> str:
                return c.choice(f"{p}{field}", PlanStatus.labels(), _PLAN_SYNONYMS) or PlanStatus.NOT_KNOWN

            out.append(ChildInput(
                c.text(f"{prefix}pseudonym"), c.choice(f"{prefix}harm", HARMS, _HARM_SYNONYMS),
                c.choice(f"{prefix}age_band", {a: a for a in AGE_BANDS}),
                c.choice(f"{prefix}sex", {s: s for s in SEXES}, _SEX_SYNONYMS), c.text(f"{prefix}ethnicity"),
                disability=answer("disability"), looked_after=answer("looked_after"), cp_plan=plan("cp_plan"),
                cin_plan=plan("cin_plan"), known_to_services=answer("known_to_services"),
                home_local_authority=c.text(f"{prefix}home_local_authority")))
        return tuple(out)

    def _check_rules(self, r: ImportRow, c: Cells) -> None:
        ck = Checker()
        try:
            self.svc.incidents.check(r.details)
        except ValidationError as e:
            ck.problems += e.problems
        aware = r.details.became_aware
        if r.notified is not None and aware is not None:
            self.required_date(ck, LABELS["notified"], r.notified, aware, AWARE)
        for name, value in (("rr_meeting", r.rr_meeting), ("rr_sent", r.rr_sent)):
            if value is not None:
                if ck.require(r.notified is not None, LABELS[name], f"needs the date '{LABELS['notified']}'"):
                    self.required_date(ck, LABELS[name], value, r.notified, "the notification")
        if r.rr_meeting and r.rr_sent:
            ck.require(r.rr_sent >= r.rr_meeting, LABELS["rr_sent"], "cannot be before the Rapid Review meeting")
        if r.decision or r.decision_date or r.decision_reasons:
            if ck.require(bool(r.decision), LABELS["decision"], "is needed with a decision date or reasons") and \
                    ck.require(r.rr_sent is not None, LABELS["decision"], f"needs the date '{LABELS['rr_sent']}'"):
                self.required_date(ck, LABELS["decision_date"], r.decision_date, r.notified, "the notification")
                ck.require(r.decision != Decision.NO_REVIEW or bool(r.decision_reasons), LABELS["decision_reasons"],
                           "are required when no local review is to be undertaken")
        if r.closed is not None or r.closed_reason:
            self.required_date(ck, LABELS["closed"], r.closed, aware, AWARE)
            ck.require(bool(r.closed_reason), LABELS["closed_reason"], "say why the case is closed")
        d = r.details
        ck.problems += [p for p in too_long(Incident, {"local_authority": d.local_authority,
                                                        "lead_officer": d.lead_officer,
                                                        "panel_reference": r.panel_reference}, LABELS)
                        if not any(q.field == p.field for q in ck.problems)]
        for p in ck.problems:
            c.problems.append(RowProblem(c.line, p.field, p.message))

    def _check_references(self, rows: list[ImportRow], problems: list[RowProblem]) -> None:
        """A reference used twice in the file or already in the register; a row without a reference that has
        the same pseudonym and date became aware as another row or a case already registered (imported before)."""
        refs: dict[tuple[int, int], int] = {}
        cases: dict[tuple[str, dt.date | None], int] = {}
        for r in rows:
            if r.reference is not None:
                key = (r.reference.first_year, r.reference.sequence)
                if key in refs:
                    problems.append(RowProblem(r.line, LABELS["reference"],
                                               f"{r.reference.text} is also on row {refs[key]}"))
                refs.setdefault(key, r.line)
            else:
                first = identifier(r.details.child_list()[0].pseudonym) if r.details.child_list() else ""
                case = (first.lower(), r.details.became_aware)
                if case in cases:
                    problems.append(RowProblem(r.line, LABELS["pseudonym"], f"{first} who became "
                                               f"known on the same day is also on row {cases[case]}"))
                cases.setdefault(case, r.line)
        with self.db.read() as s:
            if refs:  # a range, not a list of parameters: a file may hold thousands of rows
                years = [fy for fy, _ in refs]
                for fy, seq, ref in s.execute(select(Incident.financial_year, Incident.sequence, Incident.local_ref)
                                              .where(Incident.financial_year.between(min(years), max(years)))):
                    if (line := refs.get((fy, seq))) is not None:
                        problems.append(RowProblem(line, LABELS["reference"], f"is already in the register as {ref}"))
            days = [aware for _, aware in cases if aware is not None]
            if days:
                for name, aware, ref in s.execute(select(Incident.pseudonym, Incident.became_aware, Incident.local_ref)
                                                  .where(Incident.became_aware.between(min(days), max(days)))):
                    if (line := cases.get((identifier(name).lower(), aware))) is not None:
                        problems.append(RowProblem(line, LABELS["pseudonym"], f"{name}, known on the same day, is "
                                                   f"already in the register as {ref}: imported before?"))

    # -- writing ----------------------------------------------------------------------------------------
    @staticmethod
    def _record(r: ImportRow, number: tuple[int, int], prefix: str, default_la: str,
                clocks: ClockEngine) -> dict[str, Any]:
        """The incident table's values for one row, its earliest open clock included (what ``DueKeeper`` keeps
        for cases saved through the forms)."""
        d, (fy, seq) = r.details, number
        ref = r.reference.text if r.reference is not None else f"{prefix}{financial_year_label(fy)}/{seq:03d}"
        required = needs_rapid_review(d.notification_reason, d.abuse_suspected, d.rapid_review_chosen,
                                      is_adult(ch.age_band for ch in d.child_list()))
        next_rule, next_due = DueKeeper.incident_next(clocks, r.stage, d.became_aware, r.notified, r.rr_sent,
                                                      required)
        children = d.child_list()
        return {"local_ref": ref, "financial_year": fy, "sequence": seq, "stage": r.stage,
                "pseudonym": identifier(children[0].pseudonym), "child_count": len(children),
                "harm": "died" if any(c.harm == "died" for c in children) else "seriously harmed",
                **panel_columns(d.panel.cleaned()),
                "notification_reason": d.notification_reason, "abuse_suspected": d.abuse_suspected,
                "rapid_review_chosen": d.rapid_review_chosen, "rapid_review_required": required, "categories": sorted(set(d.categories)), "incident_date": d.incident_date,
                "became_aware": d.became_aware, "local_authority": d.local_authority or default_la,
                "lead_officer": d.lead_officer, "notes": d.notes, "notified_date": r.notified,
                "panel_reference": r.panel_reference, "closed_date": r.closed, "closed_reason": r.closed_reason,
                "next_rule": next_rule, "next_due": next_due}

    @staticmethod
    def _rapid_review(r: ImportRow) -> dict[str, Any]:
        """The Rapid Review table's values for a row that has reached it."""
        return {"meeting_date": r.rr_meeting, "sent_date": r.rr_sent, "decision": r.decision,
                "decision_date": r.decision_date, "decision_reasons": r.decision_reasons}

