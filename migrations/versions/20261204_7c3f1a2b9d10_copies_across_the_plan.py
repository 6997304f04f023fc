"""copies across the plan

Copied reflections are found across every unit of a plan: each submitted reflection's LSH band keys
are stored (reflection_band) and a pair records both authors' units (first_unit_id; the stored pairs
were of one unit). Pairs the new rule (word 3-grams, similarity at least 0.6) finds across units are
added; the pairs stored before are kept.

Revision ID: 7c3f1a2b9d10
Revises: 5a1e0c7d9b21
Create Date: 2026-12-04 21:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

from learnhub.plans import copies

# revision identifiers, used by Alembic.
revision = '7c3f1a2b9d10'
down_revision = '5a1e0c7d9b21'
branch_labels = None
depends_on = None

COMPARED = ("submitted", "accepted", "returned")


def upgrade():
    op.create_table('reflection_band',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('reflection_id', sa.Integer(), nullable=False),
    sa.Column('band', sa.SmallInteger(), nullable=False),
    sa.Column('key', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['study_plan.id'], name=op.f('fk_reflection_band_plan_id_study_plan')),
    sa.ForeignKeyConstraint(['reflection_id'], ['reflection.id'], name=op.f('fk_reflection_band_reflection_id_reflection')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflection_band'))
    )
    with op.batch_alter_table('reflection_band', schema=None) as batch_op:
        batch_op.create_index('ix_reflection_band_lookup', ['plan_id', 'band', 'key'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflection_band_reflection_id'), ['reflection_id'], unique=False)
    with op.batch_alter_table('reflection_similarity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_unit_id', sa.Integer(), nullable=True))
    _find_again()
    with op.batch_alter_table('reflection_similarity', schema=None) as batch_op:
        batch_op.alter_column('first_unit_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_reflection_similarity_first_unit_id'), ['first_unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reflection_similarity_first_unit_id_unit'), 'unit',
                                    ['first_unit_id'], ['id'])


def _find_again():
    """Every plan's band keys and new pairs from its submitted reflections, one plan at a time."""
    bind = op.get_bind()
    reflection = sa.table('reflection', sa.column('id'), sa.column('plan_id'), sa.column('user_id'),
                          sa.column('learned'), sa.column('application'), sa.column('commitment'),
                          sa.column('status'), sa.column('submitted_at'))
    user = sa.table('user_account', sa.column('id'), sa.column('unit_id'))
    band = sa.table('reflection_band', sa.column('plan_id'), sa.column('reflection_id'), sa.column('band'),
                    sa.column('key'))
    similarity = sa.table('reflection_similarity', sa.column('plan_id'), sa.column('unit_id'),
                          sa.column('first_unit_id'), sa.column('first_id'), sa.column('second_id'),
                          sa.column('score'))
    bind.execute(sa.update(similarity).values(first_unit_id=similarity.c.unit_id))
    plans = bind.execute(sa.select(reflection.c.plan_id).distinct()).scalars().all()
    for plan_id in plans:
        rows = bind.execute(
            sa.select(reflection.c.id, user.c.unit_id, reflection.c.learned, reflection.c.application,
                      reflection.c.commitment)
            .join(user, user.c.id == reflection.c.user_id)
            .where(reflection.c.plan_id == plan_id, reflection.c.status.in_(COMPARED))
            .order_by(reflection.c.submitted_at, reflection.c.id)).all()
        texts = {row[0]: "\n".join(part or "" for part in row[2:]) for row in rows}
        units = {row[0]: row[1] for row in rows}
        bands = [{"plan_id": plan_id, "reflection_id": rid, "band": b, "key": k}
                 for rid, text in texts.items() for b, k in copies.keys_of(text)[1]]
        stored = {frozenset(pair) for pair in bind.execute(
            sa.select(similarity.c.first_id, similarity.c.second_id).where(similarity.c.plan_id == plan_id))}
        pairs = [{"plan_id": plan_id, "unit_id": units[second], "first_unit_id": units[first], "first_id": first,
                  "second_id": second, "score": score} for first, second, score in copies.near_duplicates(texts)
                 if frozenset((first, second)) not in stored]
        if bands:
            bind.execute(sa.insert(band), bands)
        if pairs:
            bind.execute(sa.insert(similarity), pairs)


def downgrade():
    with op.batch_alter_table('reflection_similarity', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reflection_similarity_first_unit_id_unit'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reflection_similarity_first_unit_id'))
        batch_op.drop_column('first_unit_id')
    with op.batch_alter_table('reflection_band', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflection_band_reflection_id'))
        batch_op.drop_index('ix_reflection_band_lookup')
    op.drop_table('reflection_band')
