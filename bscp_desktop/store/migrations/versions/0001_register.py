"""The serious incident register: incidents, Rapid Reviews, reviews, agencies, settings, closure days,
counters and the audit log.

Revision ID: 0001
Revises: None
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bscp_desktop.models.base

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('name', name=op.f('uq_agencies_name'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', bscp_desktop.models.base.UTCDateTime(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=60), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_entity_id'), ['entity_id'], unique=False)
    op.create_table('closure_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure_days')),
    sa.UniqueConstraint('day', name=op.f('uq_closure_days_day'))
    )
    op.create_table('counters',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_counters'))
    )
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_ref', sa.String(length=40), nullable=False),
    sa.Column('financial_year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=100), nullable=False),
    sa.Column('age_band', sa.String(length=20), nullable=False),
    sa.Column('sex', sa.String(length=20), nullable=False),
    sa.Column('ethnicity', sa.String(length=100), nullable=False),
    sa.Column('harm', sa.String(length=20), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('incident_date', sa.Date(), nullable=True),
    sa.Column('became_aware', sa.Date(), nullable=False),
    sa.Column('notified_date', sa.Date(), nullable=True),
    sa.Column('panel_reference', sa.String(length=60), nullable=False),
    sa.Column('local_authority', sa.String(length=100), nullable=False),
    sa.Column('lead_officer', sa.String(length=100), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('closed_date', sa.Date(), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', bscp_desktop.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents')),
    sa.UniqueConstraint('local_ref', name=op.f('uq_incidents_local_ref'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_became_aware'), ['became_aware'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_financial_year'), ['financial_year'], unique=False)
        batch_op.create_index('ix_incidents_fy_seq', ['financial_year', 'sequence'], unique=True)
        batch_op.create_index(batch_op.f('ix_incidents_stage'), ['stage'], unique=False)
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('case_reference', sa.String(length=40), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('reviewer', sa.String(length=200), nullable=False),
    sa.Column('planned_publication_date', sa.Date(), nullable=True),
    sa.Column('final_report_date', sa.Date(), nullable=True),
    sa.Column('advance_copy_date', sa.Date(), nullable=True),
    sa.Column('publication_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('unpublished_reason', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', bscp_desktop.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('case_reference', name=op.f('uq_reviews_case_reference'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_publication_date'), ['publication_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_status'), ['status'], unique=False)
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('rapid_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=True),
    sa.Column('sent_date', sa.Date(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('decision_reasons', sa.Text(), nullable=False),
    sa.Column('immediate_learning', sa.Text(), nullable=False),
    sa.Column('panel_response_date', sa.Date(), nullable=True),
    sa.Column('panel_view', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_rapid_reviews_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rapid_reviews')),
    sa.UniqueConstraint('incident_id', name=op.f('uq_rapid_reviews_incident_id'))
    )
    op.create_table('review_incidents',
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_review_incidents_incident_id_incidents'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_incidents_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', 'incident_id', name=op.f('pk_review_incidents'))
    )
    op.create_table('rapid_review_agencies',
    sa.Column('rapid_review_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_rapid_review_agencies_agency_id_agencies'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['rapid_review_id'], ['rapid_reviews.id'], name=op.f('fk_rapid_review_agencies_rapid_review_id_rapid_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rapid_review_id', 'agency_id', name=op.f('pk_rapid_review_agencies'))
    )


def downgrade() -> None:
    op.drop_table('rapid_review_agencies')
    op.drop_table('review_incidents')
    op.drop_table('rapid_reviews')
    op.drop_table('settings')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_status'))
        batch_op.drop_index(batch_op.f('ix_reviews_publication_date'))
    op.drop_table('reviews')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_stage'))
        batch_op.drop_index('ix_incidents_fy_seq')
        batch_op.drop_index(batch_op.f('ix_incidents_financial_year'))
        batch_op.drop_index(batch_op.f('ix_incidents_became_aware'))
    op.drop_table('incidents')
    op.drop_table('counters')
    op.drop_table('closure_days')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
    op.drop_table('audit_log')
    op.drop_table('agencies')
