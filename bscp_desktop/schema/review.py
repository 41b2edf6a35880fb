"""Reviews (LCSPR, legacy SCR, DHR, thematic, other), the incidents each covers, publication holds and the
pre-publication checklist."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from bscp_desktop.schema.base import UTCDateTime, metadata, utcnow

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("case_reference", String(40), nullable=True, unique=True),
    Column("title", String(300), nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),
    Column("decision_date", Date, nullable=True),
    Column("reviewer", String(200), nullable=False, default=""),
    Column("planned_publication_date", Date, nullable=True),
    Column("final_report_date", Date, nullable=True),
    Column("advance_copy_date", Date, nullable=True),
    Column("publication_date", Date, nullable=True, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("unpublished_reason", Text, nullable=False, default=""),
    Column("website_removed_date", Date, nullable=True),
    Column("national_repository_url", String(500), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("next_rule", String(30), nullable=False, default=""),
    Column("next_due", Date, nullable=True, index=True),
    Column("held_days", Integer, nullable=False, default=0),
    Column("held_since", Date, nullable=True),
    Column("held_kinds", String(100), nullable=False, default=""),
    Column("delay_reason", Text, nullable=False, default=""),
    Column("panel_told_on", Date, nullable=True),
    Column("version", Integer, nullable=False, default=1),
)

review_incidents = Table(
    "review_incidents",
    metadata,
    Column("review_id", Integer, ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="RESTRICT"), primary_key=True),
)

publication_holds = Table(
    "publication_holds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("started", Date, nullable=False),
    Column("expected_end", Date, nullable=True),
    Column("reason", Text, nullable=False, default=""),
    Column("lifted", Date, nullable=True),
    Column("recorded_by", String(100), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)

publication_checklist = Table(
    "publication_checklist",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("step", String(20), nullable=False),
    Column("done_on", Date, nullable=False),
    Column("done_by", String(100), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("review_id", "step"),
)
