"""The review register page."""

from __future__ import annotations

from typing import Any

from bscp_desktop.domain.vocab import REVIEW_STATUSES
from bscp_desktop.services.registers.columns import Column, review_columns
from bscp_desktop.ui.pages.register import RegisterPage


class ReviewsPage(RegisterPage):
    """Every review (LCSPR, SCR, DHR, thematic…), filterable by text, status, RAG and financial year."""

    entity = "review"
    title = "Reviews"

    def columns(self) -> list[Column]:
        return review_columns()

    def stage_choices(self) -> list[tuple[str, Any]]:
        return [("All statuses", ""), ("In progress", "open")] + [(label, k) for k, label in REVIEW_STATUSES.items()]


