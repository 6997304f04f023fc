"""document settings

How each issuing unit's Party documents are headed and signed (document_settings): the superior and
issuing organ lines, the abbreviation in document numbers, the place of the date line, the signature
block and the default recipients.

Revision ID: 4355e0205583
Revises: b4d2e6f8a013
Create Date: 2026-12-04 23:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4355e0205583'
down_revision = 'b4d2e6f8a013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('superior_organ', sa.String(length=200), nullable=False),
    sa.Column('issuing_organ', sa.String(length=200), nullable=False),
    sa.Column('abbreviation', sa.String(length=20), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('on_behalf', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_document_settings_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_settings')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_document_settings_unit_id'))
    )


def downgrade():
    op.drop_table('document_settings')
