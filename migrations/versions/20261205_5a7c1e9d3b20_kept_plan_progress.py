"""kept plan progress

The kept figures (learnhub.plans.kept): one row per plan and roster member, written with every
change that alters them. `learnhub db upgrade` fills the rows of existing plans afterwards
(computed by the application, which this script must not import).

Revision ID: 5a7c1e9d3b20
Revises: 96e45948d97c
Create Date: 2026-12-05 02:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5a7c1e9d3b20'
down_revision = '96e45948d97c'
branch_labels = None
depends_on = None

CATEGORIES = ('party_member', 'civil_servant', 'citizen')


def upgrade():
    op.create_table('plan_progress',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum(*CATEGORIES, name='category', native_enum=False, length=32), nullable=False),
    sa.Column('lessons_done', sa.Integer(), nullable=False),
    sa.Column('last_studied_at', sa.DateTime(), nullable=True),
    sa.Column('passed_at', sa.DateTime(), nullable=True),
    sa.Column('attended_at', sa.DateTime(), nullable=True),
    sa.Column('reflection_status', sa.Enum('draft', 'submitted', 'accepted', 'returned', name='reflectionstatus',
                                           native_enum=False, length=32), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('studied_in_window', sa.Integer(), nullable=False),
    sa.Column('rushed_in_window', sa.Integer(), nullable=False),
    sa.Column('attempted_in_window', sa.Boolean(), nullable=False),
    sa.Column('first_pass_number', sa.Integer(), nullable=True),
    sa.Column('first_attempt_passed', sa.Boolean(), nullable=False),
    sa.Column('best_percent', sa.Float(), nullable=True),
    sa.Column('reflection_in_window', sa.Boolean(), nullable=False),
    sa.Column('reflection_returned', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['study_plan.id'], name=op.f('fk_plan_progress_plan_id_study_plan'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_plan_progress_user_id_user_account'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'user_id', name=op.f('pk_plan_progress'))
    )
    with op.batch_alter_table('plan_progress', schema=None) as batch_op:
        batch_op.create_index('ix_plan_progress_plan_unit', ['plan_id', 'unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_progress_plan_unit')

    op.drop_table('plan_progress')
