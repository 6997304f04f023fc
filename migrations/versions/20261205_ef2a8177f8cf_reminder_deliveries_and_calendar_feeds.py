"""reminder deliveries and calendar feeds

The delivery log of scheduled reminders (one per member, plan and day), members' reminder channels,
and private calendar feeds.

Revision ID: ef2a8177f8cf
Revises: 4355e0205583
Create Date: 2026-12-05 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'ef2a8177f8cf'
down_revision = '4355e0205583'
branch_labels = None
depends_on = None

CHANNEL = sa.Enum('zalo', 'sms', 'email', 'in_app', name='channelname', native_enum=False, length=32)


def upgrade():
    op.create_table('reminder_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', CHANNEL, nullable=True),
    sa.Column('status', sa.Enum('sending', 'sent', 'failed', 'skipped', name='deliverystatus', native_enum=False,
                                length=32), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('provider_id', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['study_plan.id'], name=op.f('fk_reminder_delivery_plan_id_study_plan')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reminder_delivery_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_delivery')),
    sa.UniqueConstraint('user_id', 'plan_id', 'day', name=op.f('uq_reminder_delivery_user_id_plan_id_day'))
    )
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_delivery_day_status', ['day', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_delivery_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_delivery_user_id'), ['user_id'], unique=False)

    op.create_table('reminder_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('preferred', CHANNEL, nullable=True),
    sa.Column('opted_out', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reminder_preference_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reminder_preference'))
    )
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_calendar_feed_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_feed_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_user_id'))
    op.drop_table('calendar_feed')
    op.drop_table('reminder_preference')
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_delivery_user_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_delivery_plan_id'))
        batch_op.drop_index('ix_reminder_delivery_day_status')
    op.drop_table('reminder_delivery')
