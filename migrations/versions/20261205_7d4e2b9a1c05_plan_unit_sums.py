"""plan unit sums

A plan's kept member rows summed per unit and category (learnhub/plans/kept.py, PlanUnitSums): the
dashboards roll these up the tree instead of every member's row. Filled from the kept rows.

Revision ID: 7d4e2b9a1c05
Revises: 0b7d3e5a9c21
Create Date: 2026-12-05 06:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d4e2b9a1c05'
down_revision = '0b7d3e5a9c21'
branch_labels = None
depends_on = None

CATEGORIES = ('party_member', 'civil_servant', 'citizen')

FILL = """
INSERT INTO plan_unit_sums (plan_id, unit_id, category, members, completed, on_time, studied_in_window,
                            rushed_in_window, attempted, first_pass_sum, first_pass_count, first_passed,
                            best_sum, best_count, reflections, returned)
SELECT plan_id, unit_id, category, COUNT(*),
       SUM(CASE WHEN completed_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN on_time THEN 1 ELSE 0 END),
       SUM(studied_in_window), SUM(rushed_in_window), SUM(CASE WHEN attempted_in_window THEN 1 ELSE 0 END),
       COALESCE(SUM(first_pass_number), 0), COUNT(first_pass_number),
       SUM(CASE WHEN attempted_in_window AND first_attempt_passed THEN 1 ELSE 0 END),
       COALESCE(SUM(best_percent), 0.0), COUNT(best_percent),
       SUM(CASE WHEN reflection_in_window THEN 1 ELSE 0 END), SUM(CASE WHEN reflection_returned THEN 1 ELSE 0 END)
FROM plan_progress GROUP BY plan_id, unit_id, category
"""


def upgrade():
    op.create_table('plan_unit_sums',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum(*CATEGORIES, name='category', native_enum=False, length=32), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('studied_in_window', sa.Integer(), nullable=False),
    sa.Column('rushed_in_window', sa.Integer(), nullable=False),
    sa.Column('attempted', sa.Integer(), nullable=False),
    sa.Column('first_pass_sum', sa.Integer(), nullable=False),
    sa.Column('first_pass_count', sa.Integer(), nullable=False),
    sa.Column('first_passed', sa.Integer(), nullable=False),
    sa.Column('best_sum', sa.Float(), nullable=False),
    sa.Column('best_count', sa.Integer(), nullable=False),
    sa.Column('reflections', sa.Integer(), nullable=False),
    sa.Column('returned', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['study_plan.id'], name=op.f('fk_plan_unit_sums_plan_id_study_plan'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'unit_id', 'category', name=op.f('pk_plan_unit_sums'))
    )
    op.execute(FILL)


def downgrade():
    op.drop_table('plan_unit_sums')
