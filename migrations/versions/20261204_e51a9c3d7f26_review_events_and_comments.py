"""review events and comments

A module's review steps (asked for, returned, published) and reviewers' comments on its lessons and
questions (review_event, review_comment).

Revision ID: e51a9c3d7f26
Revises: 961c0f2783e0
Create Date: 2026-12-04 23:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e51a9c3d7f26'
down_revision = '961c0f2783e0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('request', 'returned', 'publish', name='reviewaction', native_enum=False,
                                length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('comment_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_review_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_review_event_course_id_course')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_event'))
    )
    with op.batch_alter_table('review_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_event_course_id'), ['course_id'], unique=False)
    op.create_table('review_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('target_kind', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_review_comment_author_id_user_account')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_review_comment_course_id_course')),
    sa.ForeignKeyConstraint(['event_id'], ['review_event.id'], name=op.f('fk_review_comment_event_id_review_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comment'))
    )
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comment_course_id'), ['course_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comment_course_id'))
    op.drop_table('review_comment')
    with op.batch_alter_table('review_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_event_course_id'))
    op.drop_table('review_event')
