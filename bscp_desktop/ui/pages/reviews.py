"""The review register page."""

from __future__ import annotations

from typing import Any

from bscp_desktop.dates import uk
from bscp_desktop.rules import RULES
from bscp_desktop.ui.pages.register import RegisterPage, rag_column
from bscp_desktop.ui.table_model import Column
from bscp_desktop.vocab import REVIEW_KINDS, REVIEW_STATUSES


class ReviewsPage(RegisterPage):
    """Every review (LCSPR, SCR, DHR, thematic…), filterable by text, status, RAG and financial year."""

    entity = "review"
    title = "Reviews"

    def columns(self) -> list[Column]:
        return [
            Column("ref", "Case reference", lambda r: r.case_reference, 125),
            Column("kind", "Kind", lambda r: REVIEW_KINDS.get(r.kind, r.kind), 130),
            Column("title", "Title", lambda r: r.title, 250),
            Column("decision", "Decision", lambda r: uk(r.decision_date), 95),
            Column("planned", "Planned publication", lambda r: uk(r.planned_publication_date), 135, hidden=True),
            Column("published", "Published", lambda r: uk(r.publication_date), 95),
            Column("status", "Status", lambda r: REVIEW_STATUSES.get(r.status, r.status), 130, hidden=True),
            Column("next", "Next clock", lambda r: RULES[r.next_rule].short_label if r.next_rule else "", 130),
            Column("due", "Due", lambda r: uk(r.next_due), 90),
            rag_column(),
            Column("reviewer", "Reviewer", lambda r: r.reviewer, 150, hidden=True),
        ]

    def stage_choices(self) -> list[tuple[str, Any]]:
        return [("All statuses", ""), ("In progress", "open")] + [(label, k) for k, label in REVIEW_STATUSES.items()]


