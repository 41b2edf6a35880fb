"""Recommendations of a review and the agency actions that implement them."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from bscp_desktop.domain.vocab import ActionStatus
from bscp_desktop.schema.base import metadata

recommendations = Table(
    "recommendations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("scope", String(20), nullable=False, default="local"),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("review_id", "number", name="uq_recommendations_review_number"),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("recommendation_id", Integer, ForeignKey("recommendations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("agency_id", Integer, ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=True, index=True),
    Column("description", Text, nullable=False),
    Column("owner", String(200), nullable=False, default=""),
    Column("due_date", Date, nullable=True, index=True),
    Column("status", String(20), nullable=False, default=ActionStatus.NOT_STARTED.value, index=True),
    Column("not_accepted_reason", Text, nullable=False, default=""),
    Column("evidence_notes", Text, nullable=False, default=""),
    Column("completed_date", Date, nullable=True),
    Column("assured_by", String(100), nullable=False, default=""),
    Column("assured_date", Date, nullable=True),
    Column("version", Integer, nullable=False, default=1),
)
