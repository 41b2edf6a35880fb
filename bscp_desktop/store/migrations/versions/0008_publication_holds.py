"""Holds on a review's publication while parallel proceedings run (criminal proceedings, an inquest, family
proceedings), and on each review what its holds add up to (days held, held since, the kinds in force), which
the clocks read. Existing reviews have no holds: nothing held, no days.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("started", sa.Date(), nullable=False),
        sa.Column("expected_end", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("lifted", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], name=op.f("fk_publication_holds_review_id_reviews"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_holds")),
    )
    op.create_index(op.f("ix_publication_holds_review_id"), "publication_holds", ["review_id"])
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("held_days", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("held_since", sa.Date(), nullable=True))
        batch.add_column(sa.Column("held_kinds", sa.String(length=100), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("held_kinds")
        batch.drop_column("held_since")
        batch.drop_column("held_days")
    op.drop_index(op.f("ix_publication_holds_review_id"), table_name="publication_holds")
    op.drop_table("publication_holds")
