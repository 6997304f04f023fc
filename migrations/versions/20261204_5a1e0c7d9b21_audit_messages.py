"""audit messages

The audit log stores what happened as a message and its parameters, translated when shown. Rows
written before keep their English summary (message and params stay empty) and show it as it is.

Revision ID: 5a1e0c7d9b21
Revises: 5b7e2c91d0a4
Create Date: 2026-12-04 20:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1e0c7d9b21'
down_revision = '5b7e2c91d0a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('message')
