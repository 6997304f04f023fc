"""offline reading

Stretches of lessons read offline and credited when the phone came back (offline_reading).

Revision ID: 86c15555755d
Revises: e51a9c3d7f26
Create Date: 2026-12-04 23:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '86c15555755d'
down_revision = 'e51a9c3d7f26'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offline_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_offline_reading_lesson_id_lesson')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_offline_reading_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_reading')),
    sa.UniqueConstraint('user_id', 'started_at', name=op.f('uq_offline_reading_user_id_started_at'))
    )
    with op.batch_alter_table('offline_reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_reading_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offline_reading_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('offline_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offline_reading_user_id'))
        batch_op.drop_index(batch_op.f('ix_offline_reading_lesson_id'))

    op.drop_table('offline_reading')
