"""Each incident and review records its earliest open clock (rule and due date), so registers and the
dashboard can filter and sort by RAG in SQL. The values are filled by the program after the upgrade
(``Services.open`` recomputes them: they depend on the calendar and the rule amounts in force).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("incidents", "reviews"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("next_rule", sa.String(length=30), nullable=False, server_default=""))
            batch_op.add_column(sa.Column("next_due", sa.Date(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_next_due"), ["next_due"], unique=False)


def downgrade() -> None:
    for table in ("reviews", "incidents"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_next_due"))
            batch_op.drop_column("next_due")
            batch_op.drop_column("next_rule")
