"""Several children per notification and the Rapid Review as a workflow.

- ``incident_children``: every incident's one child moves here as its first child, with its pseudonym, harm,
  age band, sex and ethnicity as recorded; the characteristics the register did not hold (disability, looked
  after, child protection and child in need plans, known to services) start as "not known", the home local
  authority as the incident's own. ``incidents`` keeps the pseudonym and harm as the sum of its children (the
  first child's pseudonym, "died" when any child died), counts them, and gains the notification reason (every
  existing incident: a serious incident, abuse or neglect suspected, so its Rapid Review clock runs as before).
- ``agency_returns`` replace ``rapid_review_agencies``: an agency that contributed to an existing Rapid Review
  becomes a return asked on the notification date and answered on the meeting date (the sent date when no
  meeting was recorded), which is when the register last knew it had contributed.
- ``partner_agreements`` (empty: Rapid Reviews already sent were sent before the program recorded sign-off)
  and the Rapid Review report's narrative sections, the national-importance view and the Panel's reply on
  ``rapid_reviews`` (empty text).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_NOT_KNOWN = "not known"
_CHARACTERISTICS = ("disability", "looked_after", "cp_plan", "cin_plan", "known_to_services")
_RR_TEXT = ("facts", "immediate_action", "improvements", "lived_experience", "national_importance_reasons",
            "sent_without_sign_off")


def _versioned(*columns: sa.Column[Any]) -> list[sa.Column[Any]]:
    return [sa.Column("id", sa.Integer(), nullable=False), *columns,
            sa.Column("version", sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "incident_children",
        *_versioned(
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("pseudonym", sa.String(length=100), nullable=False),
            sa.Column("harm", sa.String(length=20), nullable=False),
            sa.Column("age_band", sa.String(length=20), nullable=False),
            sa.Column("sex", sa.String(length=20), nullable=False),
            sa.Column("ethnicity", sa.String(length=100), nullable=False),
            *(sa.Column(c, sa.String(length=20), nullable=False) for c in _CHARACTERISTICS),
            sa.Column("home_local_authority", sa.String(length=100), nullable=False),
        ),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_incident_children_incident_id_incidents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_children")),
        sa.UniqueConstraint("incident_id", "position", name=op.f("uq_incident_children_incident_id")),
    )
    op.create_index(op.f("ix_incident_children_incident_id"), "incident_children", ["incident_id"])
    op.create_index(op.f("ix_incident_children_pseudonym"), "incident_children", ["pseudonym"])
    characteristics = ", ".join(_CHARACTERISTICS)
    not_known = ", ".join(f"'{_NOT_KNOWN}'" for _ in _CHARACTERISTICS)
    op.execute(
        "INSERT INTO incident_children (incident_id, position, pseudonym, harm, age_band, sex, ethnicity, "
        f"{characteristics}, home_local_authority, version) "
        f"SELECT id, 1, pseudonym, harm, age_band, sex, ethnicity, {not_known}, '', 1 FROM incidents"
    )
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("child_count", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("notification_reason", sa.String(length=30), nullable=False,
                                   server_default="serious-incident"))
        batch.add_column(sa.Column("abuse_suspected", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("rapid_review_chosen", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("rapid_review_required", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
        batch.drop_column("ethnicity")
        batch.drop_column("sex")
        batch.drop_column("age_band")

    op.create_table(
        "agency_returns",
        *_versioned(
            sa.Column("rapid_review_id", sa.Integer(), nullable=False),
            sa.Column("agency_id", sa.Integer(), nullable=False),
            sa.Column("asked_on", sa.Date(), nullable=False),
            sa.Column("answered_on", sa.Date(), nullable=True),
            sa.Column("note", sa.Text(), nullable=False),
        ),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_agency_returns_agency_id_agencies"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["rapid_review_id"], ["rapid_reviews.id"],
                                name=op.f("fk_agency_returns_rapid_review_id_rapid_reviews"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_returns")),
        sa.UniqueConstraint("rapid_review_id", "agency_id", name=op.f("uq_agency_returns_rapid_review_id")),
    )
    op.create_index(op.f("ix_agency_returns_rapid_review_id"), "agency_returns", ["rapid_review_id"])
    op.execute(
        "INSERT INTO agency_returns (rapid_review_id, agency_id, asked_on, answered_on, note, version) "
        "SELECT ra.rapid_review_id, ra.agency_id, "
        "COALESCE(i.notified_date, rr.meeting_date, rr.sent_date, i.became_aware), "
        "COALESCE(rr.meeting_date, rr.sent_date), '', 1 "
        "FROM rapid_review_agencies ra JOIN rapid_reviews rr ON rr.id = ra.rapid_review_id "
        "JOIN incidents i ON i.id = rr.incident_id"
    )
    op.drop_table("rapid_review_agencies")

    op.create_table(
        "partner_agreements",
        *_versioned(
            sa.Column("rapid_review_id", sa.Integer(), nullable=False),
            sa.Column("partner", sa.String(length=20), nullable=False),
            sa.Column("name", sa.String(length=100), nullable=False),
            sa.Column("role_title", sa.String(length=100), nullable=False),
            sa.Column("agreed_on", sa.Date(), nullable=False),
        ),
        sa.ForeignKeyConstraint(["rapid_review_id"], ["rapid_reviews.id"],
                                name=op.f("fk_partner_agreements_rapid_review_id_rapid_reviews"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_agreements")),
        sa.UniqueConstraint("rapid_review_id", "partner", name=op.f("uq_partner_agreements_rapid_review_id")),
    )
    op.create_index(op.f("ix_partner_agreements_rapid_review_id"), "partner_agreements", ["rapid_review_id"])
    with op.batch_alter_table("rapid_reviews") as batch:
        batch.add_column(sa.Column("panel_reply", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("national_importance", sa.String(length=10), nullable=False, server_default=""))
        for name in _RR_TEXT:
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("rapid_reviews") as batch:
        for name in (*_RR_TEXT, "national_importance", "panel_reply"):
            batch.drop_column(name)
    op.drop_index(op.f("ix_partner_agreements_rapid_review_id"), table_name="partner_agreements")
    op.drop_table("partner_agreements")
    op.create_table(
        "rapid_review_agencies",
        sa.Column("rapid_review_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_rapid_review_agencies_agency_id_agencies"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["rapid_review_id"], ["rapid_reviews.id"],
                                name=op.f("fk_rapid_review_agencies_rapid_review_id_rapid_reviews"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("rapid_review_id", "agency_id", name=op.f("pk_rapid_review_agencies")),
    )
    op.execute("INSERT INTO rapid_review_agencies SELECT rapid_review_id, agency_id FROM agency_returns")
    op.drop_index(op.f("ix_agency_returns_rapid_review_id"), table_name="agency_returns")
    op.drop_table("agency_returns")
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("age_band", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("sex", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("ethnicity", sa.String(length=100), nullable=False, server_default=""))
    op.execute(
        "UPDATE incidents SET age_band = c.age_band, sex = c.sex, ethnicity = c.ethnicity "
        "FROM incident_children c WHERE c.incident_id = incidents.id AND c.position = 1"
    )
    with op.batch_alter_table("incidents") as batch:
        for name in ("rapid_review_required", "rapid_review_chosen", "abuse_suspected", "notification_reason",
                     "child_count"):
            batch.drop_column(name)
    op.drop_index(op.f("ix_incident_children_pseudonym"), table_name="incident_children")
    op.drop_index(op.f("ix_incident_children_incident_id"), table_name="incident_children")
    op.drop_table("incident_children")
