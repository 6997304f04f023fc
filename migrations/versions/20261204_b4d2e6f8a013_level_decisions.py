"""level decisions

The committee's decided level for a unit's study work in a year, with its reason (level_decision).

Revision ID: b4d2e6f8a013
Revises: 7c3f1a2b9d10
Create Date: 2026-12-04 21:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b4d2e6f8a013'
down_revision = '7c3f1a2b9d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('level_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('excellent', 'good', 'completed', 'not_completed', name='level', native_enum=False,
                               length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_level_decision_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_level_decision_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_level_decision')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_level_decision_unit_id_year'))
    )
    with op.batch_alter_table('level_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_level_decision_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('level_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_level_decision_unit_id'))
    op.drop_table('level_decision')
