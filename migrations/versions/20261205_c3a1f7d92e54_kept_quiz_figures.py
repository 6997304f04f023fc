"""kept quiz figures

Quiz figures kept per (quiz, unit) as attempts are graded: totals, a histogram of exact scores and
per-question credit (learnhub/quizzes/kept.py), filled from the existing attempts.

Revision ID: c3a1f7d92e54
Revises: 96e45948d97c
Create Date: 2026-12-05 02:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3a1f7d92e54'
down_revision = '96e45948d97c'
branch_labels = None
depends_on = None

FIGURES = """
INSERT INTO quiz_unit_figures (quiz_id, unit_id, attempts, percent_sum, members, passed_members,
                               first_passed_members, best_sum)
SELECT quiz_id, unit_id, SUM(n), COALESCE(SUM(total), 0.0), COUNT(*), SUM(passed), SUM(first), COALESCE(SUM(best), 0.0)
FROM (SELECT a.quiz_id AS quiz_id, u.unit_id AS unit_id, COUNT(a.id) AS n, SUM(a.percent) AS total,
             MAX(CASE WHEN a.passed THEN 1 ELSE 0 END) AS passed,
             MAX(CASE WHEN a.number = 1 AND a.passed THEN 1 ELSE 0 END) AS first,
             MAX(a.percent) AS best
      FROM quiz_attempt a JOIN user_account u ON u.id = a.user_id
      WHERE a.status = 'submitted'
      GROUP BY a.quiz_id, u.unit_id, a.user_id) AS per_member
GROUP BY quiz_id, unit_id
"""
SCORES = """
INSERT INTO quiz_unit_score (quiz_id, unit_id, percent, attempts)
SELECT a.quiz_id, u.unit_id, a.percent, COUNT(*)
FROM quiz_attempt a JOIN user_account u ON u.id = a.user_id
WHERE a.status = 'submitted' AND a.percent IS NOT NULL
GROUP BY a.quiz_id, u.unit_id, a.percent
"""
ANSWERS = """
INSERT INTO quiz_unit_answer (quiz_id, unit_id, qid, answered, credit)
SELECT a.quiz_id, u.unit_id, x.qid, COUNT(x.fraction), COALESCE(SUM(x.fraction), 0.0)
FROM attempt_answer x JOIN quiz_attempt a ON a.id = x.attempt_id JOIN user_account u ON u.id = a.user_id
WHERE a.status = 'submitted'
GROUP BY a.quiz_id, u.unit_id, x.qid
"""


def upgrade():
    op.create_table('quiz_unit_figures',
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('percent_sum', sa.Float(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('passed_members', sa.Integer(), nullable=False),
    sa.Column('first_passed_members', sa.Integer(), nullable=False),
    sa.Column('best_sum', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_quiz_unit_figures_quiz_id_quiz'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_quiz_unit_figures_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('quiz_id', 'unit_id', name=op.f('pk_quiz_unit_figures'))
    )
    with op.batch_alter_table('quiz_unit_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_unit_figures_unit_id'), ['unit_id'], unique=False)
    op.create_table('quiz_unit_score',
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id', 'unit_id'], ['quiz_unit_figures.quiz_id', 'quiz_unit_figures.unit_id'],
                            name=op.f('fk_quiz_unit_score_quiz_id_quiz_unit_figures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('quiz_id', 'unit_id', 'percent', name=op.f('pk_quiz_unit_score'))
    )
    op.create_table('quiz_unit_answer',
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('qid', sa.String(length=80), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('credit', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id', 'unit_id'], ['quiz_unit_figures.quiz_id', 'quiz_unit_figures.unit_id'],
                            name=op.f('fk_quiz_unit_answer_quiz_id_quiz_unit_figures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('quiz_id', 'unit_id', 'qid', name=op.f('pk_quiz_unit_answer'))
    )
    for statement in (FIGURES, SCORES, ANSWERS):
        op.execute(statement)


def downgrade():
    op.drop_table('quiz_unit_answer')
    op.drop_table('quiz_unit_score')
    with op.batch_alter_table('quiz_unit_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_unit_figures_unit_id'))
    op.drop_table('quiz_unit_figures')
