"""plans committees can write

A plan covers several modules (study_plan_course, in order; study_plan.course_id moves there and
is dropped), carries the seed's parts (content, time of day, decoration, audiences, tasks per unit
in plan_task) and the date it is signed (issued_on, with issued_year for the unique number per
issuing unit and year; a blank number becomes NULL).

Revision ID: b058fcc22843
Revises: ef2a8177f8cf
Create Date: 2026-12-04 23:30:00.000000

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b058fcc22843'
down_revision = 'ef2a8177f8cf'
branch_labels = None
depends_on = None


def _issued(created_at) -> dt.date:
    if isinstance(created_at, str):  # SQLite hands back text
        created_at = dt.datetime.fromisoformat(created_at)
    return created_at.date() if isinstance(created_at, dt.datetime) else dt.date.today()


def upgrade():
    op.create_table('study_plan_course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_study_plan_course_course_id_course')),
    sa.ForeignKeyConstraint(['plan_id'], ['study_plan.id'], name=op.f('fk_study_plan_course_plan_id_study_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_plan_course')),
    sa.UniqueConstraint('plan_id', 'course_id', name=op.f('uq_study_plan_course_plan_id_course_id'))
    )
    with op.batch_alter_table('study_plan_course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_plan_course_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_study_plan_course_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('task', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['study_plan.id'], name=op.f('fk_plan_task_plan_id_study_plan')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_plan_task_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_task'))
    )
    with op.batch_alter_table('plan_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_task_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_task_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('study_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('issued_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('content', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('time_of_day', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('decoration', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('audiences', sa.JSON(), nullable=True))
        batch_op.alter_column('number', existing_type=sa.String(length=60), nullable=True)

    # The data: each plan's module becomes its first (only) module; the signing date is taken from
    # when the plan was written; a blank number becomes NULL; a number used twice by one unit in
    # one year keeps its first plan and the later ones get their id appended (never lost).
    bind = op.get_bind()
    plan = sa.table('study_plan', sa.column('id', sa.Integer), sa.column('course_id', sa.Integer),
                    sa.column('unit_id', sa.Integer), sa.column('number', sa.String),
                    sa.column('created_at', sa.DateTime), sa.column('issued_on', sa.Date),
                    sa.column('issued_year', sa.Integer), sa.column('audiences', sa.JSON))
    module = sa.table('study_plan_course', sa.column('plan_id', sa.Integer), sa.column('course_id', sa.Integer),
                      sa.column('position', sa.Integer))
    rows = bind.execute(sa.select(plan.c.id, plan.c.course_id, plan.c.unit_id, plan.c.number, plan.c.created_at)
                        .order_by(plan.c.id)).all()
    if rows:
        bind.execute(module.insert(), [{"plan_id": r.id, "course_id": r.course_id, "position": 0} for r in rows])
    seen: set[tuple] = set()
    for r in rows:
        issued = _issued(r.created_at)
        number = (r.number or '').strip() or None
        if number is not None:
            key = (r.unit_id, issued.year, number)
            if key in seen:
                number = f"{number} ({r.id})"[:60]
            seen.add((r.unit_id, issued.year, number))
        bind.execute(plan.update().where(plan.c.id == r.id).values(
            issued_on=issued, issued_year=issued.year, number=number, audiences=[]))

    with op.batch_alter_table('study_plan', schema=None) as batch_op:
        batch_op.alter_column('issued_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('issued_year', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('audiences', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('content', existing_type=sa.Text(), server_default=None)
        batch_op.alter_column('time_of_day', existing_type=sa.String(length=60), server_default=None)
        batch_op.alter_column('decoration', existing_type=sa.Text(), server_default=None)
        batch_op.drop_index(batch_op.f('ix_study_plan_course_id'))
        batch_op.drop_constraint(batch_op.f('fk_study_plan_course_id_course'), type_='foreignkey')
        batch_op.drop_column('course_id')
        batch_op.create_unique_constraint(batch_op.f('uq_study_plan_unit_id_issued_year_number'),
                                          ['unit_id', 'issued_year', 'number'])


def downgrade():
    with op.batch_alter_table('study_plan', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_study_plan_unit_id_issued_year_number'), type_='unique')
        batch_op.add_column(sa.Column('course_id', sa.Integer(), nullable=True))

    bind = op.get_bind()
    plan = sa.table('study_plan', sa.column('id', sa.Integer), sa.column('course_id', sa.Integer),
                    sa.column('number', sa.String))
    module = sa.table('study_plan_course', sa.column('plan_id', sa.Integer), sa.column('course_id', sa.Integer),
                      sa.column('position', sa.Integer), sa.column('id', sa.Integer))
    first = (sa.select(module.c.course_id).where(module.c.plan_id == plan.c.id)
             .order_by(module.c.position, module.c.id).limit(1).scalar_subquery())
    bind.execute(plan.update().values(course_id=first))
    bind.execute(plan.update().where(plan.c.number.is_(None)).values(number=''))

    with op.batch_alter_table('study_plan', schema=None) as batch_op:
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_study_plan_course_id_course'), 'course', ['course_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_study_plan_course_id'), ['course_id'], unique=False)
        batch_op.alter_column('number', existing_type=sa.String(length=60), nullable=False)
        batch_op.drop_column('audiences')
        batch_op.drop_column('decoration')
        batch_op.drop_column('time_of_day')
        batch_op.drop_column('content')
        batch_op.drop_column('issued_year')
        batch_op.drop_column('issued_on')

    with op.batch_alter_table('plan_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_task_unit_id'))
        batch_op.drop_index(batch_op.f('ix_plan_task_plan_id'))
    op.drop_table('plan_task')
    with op.batch_alter_table('study_plan_course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_study_plan_course_plan_id'))
        batch_op.drop_index(batch_op.f('ix_study_plan_course_course_id'))
    op.drop_table('study_plan_course')
