"""The columns of the registers (incidents, reviews, agency actions, archive requests): what each shows of a
row, under what heading and how wide. Qt-free, so the pages, their Export and the ``export`` command show the
same columns from one definition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bscp_desktop.domain.clock_words import clock_text
from bscp_desktop.domain.rules import RULES, Rag
from bscp_desktop.domain.vocab import DECISIONS, HARMS, REVIEW_KINDS, REVIEW_STATUSES, STAGES, NotificationReason
from bscp_desktop.util.dates import uk


@dataclass(frozen=True)
class Column:
    """One column: its key (the name its visibility is kept under, and the SQL sort key unless ``sort_by``
    says otherwise), header, how to show a row, and presentation."""

    key: str
    title: str
    text: Callable[[Any], str]
    width: int = 110
    sortable: bool = True
    align_right: bool = False
    rag: Callable[[Any], Rag | None] | None = None  # colour the cell by this RAG (its text says it too)
    hidden: bool = False  # hidden until the user chooses it
    sort_by: str = ""  # the sort key the register's query takes, when not ``key`` (RAG sorts by due date)


def rag_text(row: Any) -> str:
    """A register row's earliest open clock in words (``domain.clock_words.clock_text``)."""
    return clock_text(row.rag, row.days, getattr(row, "held", ""))


def rag_column() -> Column:
    """The RAG column of a register: its own key (its visibility is kept apart from Due's), sorted by due date."""
    return Column("rag", "RAG", rag_text, 210, rag=lambda r: r.rag, sort_by="due")


def _next(row: Any) -> str:
    return RULES[row.next_rule].short_label if row.next_rule else ""


def incident_columns() -> list[Column]:
    """The incident register's columns (``services.registers.IncidentRow``)."""
    return [
        Column("ref", "Reference", lambda r: r.local_ref, 115),
        Column("pseudonym", "Pseudonym", lambda r: r.children, 110),
        Column("child_count", "Children", lambda r: str(r.child_count), 70, sortable=False, align_right=True,
               hidden=True),
        Column("harm", "Harm", lambda r: HARMS.get(r.harm, r.harm), 120),
        Column("age", "Age band", lambda r: r.age_band, 80, hidden=True),
        Column("reason", "Notification reason", lambda r: NotificationReason.of(r.notification_reason).label, 200,
               sortable=False, hidden=True),
        Column("care_leaver", "Care leaver", lambda r: "Yes" if r.notification_reason ==
               NotificationReason.CARE_LEAVER_DEATH else "No", 80, sortable=False, hidden=True),
        Column("aware", "Became aware", lambda r: uk(r.became_aware), 105),
        Column("notified", "Notified", lambda r: uk(r.notified_date), 90, hidden=True),
        Column("rr_sent", "Rapid Review sent", lambda r: uk(r.rr_sent), 125, hidden=True),
        Column("decision", "Decision", lambda r: DECISIONS.get(r.decision, r.decision), 150, hidden=True),
        Column("stage", "Stage", lambda r: STAGES.get(r.stage, r.stage), 150),
        Column("next", "Next clock", _next, 130),
        Column("due", "Due", lambda r: uk(r.next_due), 90),
        rag_column(),
        Column("officer", "Lead officer", lambda r: r.lead_officer, 130, hidden=True),
    ]


def review_columns() -> list[Column]:
    """The review register's columns (``services.registers.ReviewRow``)."""
    return [
        Column("ref", "Case reference", lambda r: r.case_reference, 125),
        Column("kind", "Kind", lambda r: REVIEW_KINDS.get(r.kind, r.kind), 130),
        Column("title", "Title", lambda r: r.title, 250),
        Column("decision", "Decision", lambda r: uk(r.decision_date), 95),
        Column("planned", "Planned publication", lambda r: uk(r.planned_publication_date), 135, hidden=True),
        Column("published", "Published", lambda r: uk(r.publication_date), 95),
        Column("status", "Status", lambda r: REVIEW_STATUSES.get(r.status, r.status), 130, hidden=True),
        Column("next", "Next clock", lambda r: "Publication held" if r.rag is Rag.ON_HOLD else _next(r), 130),
        Column("due", "Due", lambda r: uk(r.next_due), 90),
        rag_column(),
        Column("reviewer", "Reviewer", lambda r: r.reviewer, 150, hidden=True),
    ]


def action_columns() -> list[Column]:
    """The agency actions' columns (``services.actions.ActionView``)."""
    return [
        Column("review", "Review", lambda a: a.review_reference, 120),
        Column("rec", "Rec.", lambda a: f"R{a.recommendation_number}", 50),
        Column("agency", "Agency", lambda a: a.agency or "—", 170),
        Column("action", "Action", lambda a: a.description, 300),
        Column("owner", "Owner", lambda a: a.owner or "—", 120),
        Column("due", "Due", lambda a: uk(a.due_date, "—"), 90),
        Column("status", "Status", lambda a: a.status_label, 110),
        Column("rag", "RAG", lambda a: a.rag.value if a.rag else "—", 80, rag=lambda a: a.rag),
    ]


def request_columns() -> list[Column]:
    """The archive requests' columns (``services.requests.RequestView``)."""
    return [
        Column("ref", "Reference", lambda r: r.reference, 115),
        Column("received", "Received", lambda r: uk(r.received_date), 90),
        Column("requester", "Requester", lambda r: r.requester_name, 150),
        Column("organisation", "Organisation", lambda r: r.organisation or "—", 190),
        Column("publications", "Publications", lambda r: ", ".join(x.reference for x in r.reviews), 200),
        Column("status", "Status", lambda r: r.status_label, 140),
        Column("due", "Due", lambda r: uk(r.due), 90),
        Column("rag", "RAG", lambda r: r.rag.value, 90, rag=lambda r: r.rag),
    ]


__all__ = ["Column", "action_columns", "incident_columns", "rag_column", "rag_text", "request_columns",
           "review_columns"]
