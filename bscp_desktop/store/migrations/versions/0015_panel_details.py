"""What the Panel's notification form asks that the register did not hold: where the incident happened (in the
area, elsewhere in England or outside England; the kind of place and the place), its time when known, an
outline of the case for the Panel (a field of its own: the case notes stay internal) and who notified (name,
role, telephone, e-mail). Existing incidents start with all of them blank.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = (("location", sa.String(length=30)), ("location_type", sa.String(length=30)),
           ("place", sa.String(length=200)), ("incident_time", sa.String(length=5)), ("case_outline", sa.Text()),
           ("notifier_name", sa.String(length=100)), ("notifier_role", sa.String(length=100)),
           ("notifier_phone", sa.String(length=40)), ("notifier_email", sa.String(length=200)))


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        for name, _kind in reversed(COLUMNS):
            batch.drop_column(name)
