"""A looked-after child's death with no abuse or neglect known or suspected needs no Rapid Review (GOV.UK: the
Panel does not consider such deaths; DfE and Ofsted act on them). Such an incident whose Rapid Review was already
recorded (a meeting, the report sent or a decision) is marked as the partnership's choice to hold one, so its
record, form and figures stay as they were; one with none loses the Rapid Review clock and, if it was waiting
for it, waits for nothing more ("No review"). The earliest open clock of every case is worked out again when
the program opens the upgraded register (``Services.open``).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    incidents = sa.table("incidents", sa.column("id", sa.Integer()), sa.column("notification_reason", sa.String()),
                         sa.column("abuse_suspected", sa.Boolean()), sa.column("rapid_review_chosen", sa.Boolean()),
                         sa.column("rapid_review_required", sa.Boolean()), sa.column("stage", sa.String()),
                         sa.column("version", sa.Integer()))
    reviews = sa.table("rapid_reviews", sa.column("incident_id", sa.Integer()), sa.column("meeting_date", sa.Date()),
                       sa.column("sent_date", sa.Date()), sa.column("decision", sa.String()))
    recorded = sa.exists().where(reviews.c.incident_id == incidents.c.id, sa.or_(
        reviews.c.meeting_date.is_not(None), reviews.c.sent_date.is_not(None), reviews.c.decision != ""))
    affected = sa.and_(incidents.c.notification_reason == "looked-after-death", incidents.c.abuse_suspected.is_(False),
                       incidents.c.rapid_review_chosen.is_(False))
    op.execute(incidents.update().where(affected, recorded).values(rapid_review_chosen=True,
                                                                   version=incidents.c.version + 1))
    op.execute(incidents.update().where(affected, ~recorded).values(
        rapid_review_required=False, version=incidents.c.version + 1,
        stage=sa.case((incidents.c.stage == "rapid-review", "no-review"), else_=incidents.c.stage)))


def downgrade() -> None:
    pass  # which choices this revision made cannot be told apart from the partnership's own
