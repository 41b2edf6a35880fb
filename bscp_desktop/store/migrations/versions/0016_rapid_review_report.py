"""What the Rapid Review report gains: how the child's and the family's views were sought, why the report went
after its due date, the partners' answer to each local-review criterion with its reasons (on
``rapid_reviews``); what each agency did with the child, from its return (on ``agency_returns``); and the
parallel proceedings (police investigation, coroner and inquest, child death review, family proceedings)
recorded once on the incident (``parallel_proceedings``). Existing Rapid Reviews and returns start with the new
text blank and no criterion answered; no incident has a proceeding recorded.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rapid_reviews") as batch:
        batch.add_column(sa.Column("views_sought", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("late_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("local_review_criteria", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("agency_returns") as batch:
        batch.add_column(sa.Column("involvement", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "parallel_proceedings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_parallel_proceedings_incident_id_incidents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parallel_proceedings")),
        sa.UniqueConstraint("incident_id", "kind", name=op.f("uq_parallel_proceedings_incident_id")),
    )
    op.create_index(op.f("ix_parallel_proceedings_incident_id"), "parallel_proceedings", ["incident_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_parallel_proceedings_incident_id"), table_name="parallel_proceedings")
    op.drop_table("parallel_proceedings")
    with op.batch_alter_table("agency_returns") as batch:
        batch.drop_column("involvement")
    with op.batch_alter_table("rapid_reviews") as batch:
        batch.drop_column("local_review_criteria")
        batch.drop_column("late_reason")
        batch.drop_column("views_sought")
