"""Catalogue and learning: documents and their contents, briefing notes, archive requests and the disclosure
log, recommendations and actions, themes, annual figures; reviews gain the website take-down date and the
national repository link.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bscp_desktop.models.base

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('annual_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('child_deaths', sa.Integer(), nullable=True),
    sa.Column('national_reviews', sa.Integer(), nullable=True),
    sa.Column('child_population_share', sa.Double(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_figures')),
    sa.UniqueConstraint('first_year', name=op.f('uq_annual_figures_first_year'))
    )
    op.create_table('archive_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('received_date', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=30), nullable=False),
    sa.Column('requester_name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('acknowledged_date', sa.Date(), nullable=True),
    sa.Column('responded_date', sa.Date(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_requests')),
    sa.UniqueConstraint('reference', name=op.f('uq_archive_requests_reference'))
    )
    with op.batch_alter_table('archive_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_requests_received_date'), ['received_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_archive_requests_status'), ['status'], unique=False)
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('name', name=op.f('uq_themes_name'))
    )
    op.create_table('archive_request_reviews',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['archive_requests.id'], name=op.f('fk_archive_request_reviews_request_id_archive_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_archive_request_reviews_review_id_reviews'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('request_id', 'review_id', name=op.f('pk_archive_request_reviews'))
    )
    op.create_table('briefing_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('publication_date', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_briefing_notes_review_id_reviews'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_notes')),
    sa.UniqueConstraint('title', name=op.f('uq_briefing_notes_title'))
    )
    with op.batch_alter_table('briefing_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_notes_review_id'), ['review_id'], unique=False)
    op.create_table('incident_themes',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_themes_incident_id_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_incident_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('incident_id', 'theme_id', name=op.f('pk_incident_themes'))
    )
    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_recommendations_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations')),
    sa.UniqueConstraint('review_id', 'number', name='uq_recommendations_review_number')
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_review_id'), ['review_id'], unique=False)
    op.create_table('review_themes',
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_themes_review_id_reviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_review_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', 'theme_id', name=op.f('pk_review_themes'))
    )
    op.create_table('actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('not_accepted_reason', sa.Text(), nullable=False),
    sa.Column('evidence_notes', sa.Text(), nullable=False),
    sa.Column('completed_date', sa.Date(), nullable=True),
    sa.Column('assured_by', sa.String(length=100), nullable=False),
    sa.Column('assured_date', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_actions_agency_id_agencies'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_actions_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actions_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_status'), ['status'], unique=False)
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('briefing_note_id', sa.Integer(), nullable=True),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('added_at', bscp_desktop.models.base.UTCDateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_documents_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['briefing_note_id'], ['briefing_notes.id'], name=op.f('fk_documents_briefing_note_id_briefing_notes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_documents_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_briefing_note_id'), ['briefing_note_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_sha256'), ['sha256'], unique=False)
    op.create_table('disclosures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('released_at', bscp_desktop.models.base.UTCDateTime(), nullable=False),
    sa.Column('released_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_disclosures_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['archive_requests.id'], name=op.f('fk_disclosures_request_id_archive_requests'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosures'))
    )
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosures_request_id'), ['request_id'], unique=False)
    op.create_table('document_contents',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_contents_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_contents'))
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("website_removed_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("national_repository_url", sa.String(length=500), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("national_repository_url")
        batch_op.drop_column("website_removed_date")
    op.drop_table('document_contents')
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosures_request_id'))
    op.drop_table('disclosures')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_documents_review_id'))
        batch_op.drop_index(batch_op.f('ix_documents_briefing_note_id'))
        batch_op.drop_index(batch_op.f('ix_documents_action_id'))
    op.drop_table('documents')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_status'))
        batch_op.drop_index(batch_op.f('ix_actions_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_actions_due_date'))
        batch_op.drop_index(batch_op.f('ix_actions_agency_id'))
    op.drop_table('actions')
    op.drop_table('review_themes')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendations_review_id'))
    op.drop_table('recommendations')
    op.drop_table('incident_themes')
    with op.batch_alter_table('briefing_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefing_notes_review_id'))
    op.drop_table('briefing_notes')
    op.drop_table('archive_request_reviews')
    op.drop_table('themes')
    with op.batch_alter_table('archive_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_requests_status'))
        batch_op.drop_index(batch_op.f('ix_archive_requests_received_date'))
    op.drop_table('archive_requests')
    op.drop_table('annual_figures')
