"""The pre-publication checklist: the steps staff record for a review (family informed, report anonymised, the
partners' agreement, press statement, the national repository), each with its date and who; and on each review
why its publication is later than the target and when the Panel was last told. Existing reviews start with no
step recorded, no delay reason and the Panel not told.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication_checklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("done_by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"],
                                name=op.f("fk_publication_checklist_review_id_reviews"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_checklist")),
        sa.UniqueConstraint("review_id", "step", name=op.f("uq_publication_checklist_review_id")),
    )
    op.create_index(op.f("ix_publication_checklist_review_id"), "publication_checklist", ["review_id"])
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("delay_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("panel_told_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("panel_told_on")
        batch.drop_column("delay_reason")
    op.drop_index(op.f("ix_publication_checklist_review_id"), table_name="publication_checklist")
    op.drop_table("publication_checklist")
