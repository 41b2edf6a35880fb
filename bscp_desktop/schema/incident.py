"""The serious incident register and each incident's Rapid Review: the incident, the children it covers, the
Rapid Review, the agencies asked for a return, the partners' agreements and the parallel proceedings."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from bscp_desktop.domain.vocab import NotificationReason
from bscp_desktop.schema.base import UTCDateTime, metadata, utcnow

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("local_ref", String(40), nullable=False, unique=True),
    Column("financial_year", Integer, nullable=False, index=True),
    Column("sequence", Integer, nullable=False),
    Column("pseudonym", String(100), nullable=False),
    Column("harm", String(20), nullable=False),
    Column("child_count", Integer, nullable=False, default=1),
    Column("notification_reason", String(30), nullable=False, default=NotificationReason.SERIOUS_INCIDENT),
    Column("abuse_suspected", Boolean, nullable=False, default=True),
    Column("rapid_review_chosen", Boolean, nullable=False, default=False),
    Column("rapid_review_required", Boolean, nullable=False, default=True),
    Column("categories", JSON, nullable=False, default=list),
    Column("incident_date", Date, nullable=True),
    Column("became_aware", Date, nullable=False, index=True),
    Column("notified_date", Date, nullable=True),
    Column("panel_reference", String(60), nullable=False, default=""),
    Column("local_authority", String(100), nullable=False, default=""),
    Column("lead_officer", String(100), nullable=False, default=""),
    Column("stage", String(20), nullable=False),
    Column("closed_date", Date, nullable=True),
    Column("closed_reason", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("location", String(30), nullable=False, default=""),
    Column("location_type", String(30), nullable=False, default=""),
    Column("place", String(200), nullable=False, default=""),
    Column("incident_time", String(5), nullable=False, default=""),
    Column("case_outline", Text, nullable=False, default=""),
    Column("notifier_name", String(100), nullable=False, default=""),
    Column("notifier_role", String(100), nullable=False, default=""),
    Column("notifier_phone", String(40), nullable=False, default=""),
    Column("notifier_email", String(200), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("next_rule", String(30), nullable=False, default=""),
    Column("next_due", Date, nullable=True, index=True),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_incidents_fy_seq", "financial_year", "sequence", unique=True),
    Index("ix_incidents_stage_fy_seq", "stage", "financial_year", "sequence"),
)

incident_children = Table(
    "incident_children",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("pseudonym", String(100), nullable=False, index=True),
    Column("harm", String(20), nullable=False),
    Column("age_band", String(20), nullable=False, default=""),
    Column("sex", String(20), nullable=False, default=""),
    Column("ethnicity", String(100), nullable=False, default=""),
    Column("disability", String(20), nullable=False, default="not known"),
    Column("looked_after", String(20), nullable=False, default="not known"),
    Column("cp_plan", String(20), nullable=False, default="not known"),
    Column("cin_plan", String(20), nullable=False, default="not known"),
    Column("known_to_services", String(20), nullable=False, default="not known"),
    Column("home_local_authority", String(100), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("incident_id", "position"),
)

rapid_reviews = Table(
    "rapid_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("meeting_date", Date, nullable=True),
    Column("sent_date", Date, nullable=True),
    Column("decision", String(20), nullable=False, default=""),
    Column("decision_date", Date, nullable=True),
    Column("decision_reasons", Text, nullable=False, default=""),
    Column("immediate_learning", Text, nullable=False, default=""),
    Column("panel_response_date", Date, nullable=True),
    Column("panel_view", Text, nullable=False, default=""),
    Column("panel_reply", String(20), nullable=False, default=""),
    Column("facts", Text, nullable=False, default=""),
    Column("immediate_action", Text, nullable=False, default=""),
    Column("improvements", Text, nullable=False, default=""),
    Column("lived_experience", Text, nullable=False, default=""),
    Column("national_importance", String(10), nullable=False, default=""),
    Column("national_importance_reasons", Text, nullable=False, default=""),
    Column("sent_without_sign_off", Text, nullable=False, default=""),
    Column("views_sought", Text, nullable=False, default=""),
    Column("late_reason", Text, nullable=False, default=""),
    Column("local_review_criteria", JSON, nullable=False, default=dict),
    Column("version", Integer, nullable=False, default=1),
)

agency_returns = Table(
    "agency_returns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rapid_review_id", Integer, ForeignKey("rapid_reviews.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("agency_id", Integer, ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=False),
    Column("asked_on", Date, nullable=False),
    Column("answered_on", Date, nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("involvement", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("rapid_review_id", "agency_id"),
)

partner_agreements = Table(
    "partner_agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rapid_review_id", Integer, ForeignKey("rapid_reviews.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("partner", String(20), nullable=False),
    Column("name", String(100), nullable=False),
    Column("role_title", String(100), nullable=False, default=""),
    Column("agreed_on", Date, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("rapid_review_id", "partner"),
)

parallel_proceedings = Table(
    "parallel_proceedings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("state", String(20), nullable=False),
    Column("state_date", Date, nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("incident_id", "kind"),
)
