"""public lessons, loudspeaker bulletins and broadcasts

A lesson may be in its module's short public version (lesson.public); a unit's loudspeaker bulletin
for a module, with an optional recording (bulletin); bulletins read over the loudspeakers, counted
in the year's outreach figures (broadcast).

Revision ID: 961c0f2783e0
Revises: b058fcc22843
Create Date: 2026-12-04 23:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '961c0f2783e0'
down_revision = 'b058fcc22843'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('bulletin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('key_points', sa.Text(), nullable=False),
    sa.Column('script', sa.Text(), nullable=False),
    sa.Column('recording', sa.LargeBinary(), nullable=True),
    sa.Column('recording_type', sa.String(length=100), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_bulletin_course_id_course')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_bulletin_unit_id_unit')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_bulletin_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletin')),
    sa.UniqueConstraint('course_id', 'unit_id', name=op.f('uq_bulletin_course_id_unit_id'))
    )
    with op.batch_alter_table('bulletin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletin_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bulletin_unit_id'), ['unit_id'], unique=False)
    op.create_table('broadcast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('area', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_broadcast_course_id_course')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_broadcast_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_broadcast_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcast'))
    )
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcast_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_broadcast_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcast_unit_id'))
        batch_op.drop_index(batch_op.f('ix_broadcast_held_on'))
    op.drop_table('broadcast')
    with op.batch_alter_table('bulletin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletin_unit_id'))
        batch_op.drop_index(batch_op.f('ix_bulletin_course_id'))
    op.drop_table('bulletin')
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_column('public')
