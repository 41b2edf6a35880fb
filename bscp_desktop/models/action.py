"""Recommendations of a review and the agency actions that implement them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped

from bscp_desktop.models.base import Base, Versioned
from bscp_desktop.schema import actions, recommendations


class Recommendation(Versioned, Base):
    """A numbered recommendation of a review, national or local."""

    __table__ = recommendations
    id: Mapped[int]
    review_id: Mapped[int]
    number: Mapped[int]
    text: Mapped[str]
    scope: Mapped[str]



class Action(Versioned, Base):
    """An action an agency takes on a recommendation, with evidence and assurance."""

    __table__ = actions
    id: Mapped[int]
    recommendation_id: Mapped[int]
    agency_id: Mapped[int | None]
    description: Mapped[str]
    owner: Mapped[str]
    due_date: Mapped[dt.date | None]
    status: Mapped[str]
    not_accepted_reason: Mapped[str]
    evidence_notes: Mapped[str]
    completed_date: Mapped[dt.date | None]
    assured_by: Mapped[str]
    assured_date: Mapped[dt.date | None]
