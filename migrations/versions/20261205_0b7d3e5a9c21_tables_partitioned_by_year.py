"""tables partitioned by year

Lesson progress, quiz attempts and their answers gain a year column (the year the lesson was first
opened, the attempt started; an answer takes its attempt's). On PostgreSQL the three tables are
rebuilt as tables partitioned by LIST (year): one partition per year that holds rows, this year and
the next, and a default partition for any other year; every row is copied across. A partitioned
table's primary key and unique rules must include the year, so (user, lesson) and (user, quiz,
number) stay unique across years through a trigger that takes an advisory lock on the pair and
refuses a second row; the answers reference their attempt by (id, year). On SQLite only the columns,
unique rules, the foreign key and the same triggers change. docs/partitions.md.

Revision ID: 0b7d3e5a9c21
Revises: c3a1f7d92e54
Create Date: 2026-12-05 02:00:00.000000

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0b7d3e5a9c21'
down_revision = 'c3a1f7d92e54'
branch_labels = None
depends_on = None

TABLES = ('lesson_progress', 'quiz_attempt', 'attempt_answer')
KEY = {'lesson_progress': 'year', 'quiz_attempt': 'year', 'attempt_answer': 'attempt_year'}
# (table, trigger, the columns that are unique across years)
ONE_ROW = (
    ('lesson_progress', 'lesson_progress_one_per_lesson', ('user_id', 'lesson_id')),
    ('quiz_attempt', 'quiz_attempt_one_per_number', ('user_id', 'quiz_id', 'number')),
)


def _columns(table, partitioned):
    """The table's columns as the models have them; ``partitioned`` adds the year."""
    id_default = sa.text(f"nextval('{table}_id_seq'::regclass)")
    id_column = sa.Column('id', sa.Integer(), nullable=False, autoincrement=False, server_default=id_default)
    if table == 'lesson_progress':
        columns = [
            sa.Column('user_id', sa.Integer(), nullable=False),
            sa.Column('lesson_id', sa.Integer(), nullable=False),
            sa.Column('first_opened_at', sa.DateTime(), nullable=False),
            sa.Column('last_seen_at', sa.DateTime(), nullable=False),
            sa.Column('studied_at', sa.DateTime(), nullable=True),
            sa.Column('seconds_spent', sa.Integer(), nullable=False),
        ]
    elif table == 'quiz_attempt':
        columns = [
            sa.Column('quiz_id', sa.Integer(), nullable=False),
            sa.Column('user_id', sa.Integer(), nullable=False),
            sa.Column('number', sa.Integer(), nullable=False),
            sa.Column('bank_version', sa.Integer(), nullable=False),
            sa.Column('status', sa.Enum('in_progress', 'submitted', name='attemptstatus', native_enum=False, length=32), nullable=False),
            sa.Column('started_at', sa.DateTime(), nullable=False),
            sa.Column('deadline', sa.DateTime(), nullable=True),
            sa.Column('submitted_at', sa.DateTime(), nullable=True),
            sa.Column('late', sa.Boolean(), nullable=False),
            sa.Column('paper', sa.JSON(), nullable=False),
            sa.Column('pass_score', sa.Integer(), nullable=False),
            sa.Column('review', sa.String(length=20), nullable=False),
            sa.Column('score', sa.Float(), nullable=True),
            sa.Column('max_score', sa.Float(), nullable=False),
            sa.Column('percent', sa.Float(), nullable=True),
            sa.Column('passed', sa.Boolean(), nullable=True),
        ]
    else:
        columns = [
            sa.Column('attempt_id', sa.Integer(), nullable=False),
            sa.Column('qid', sa.String(length=80), nullable=False),
            sa.Column('response', sa.JSON(), nullable=False),
            sa.Column('response_key', sa.String(length=200), nullable=False),
            sa.Column('saved_at', sa.DateTime(), nullable=False),
            sa.Column('fraction', sa.Float(), nullable=True),
            sa.Column('score', sa.Float(), nullable=True),
        ]
    if partitioned:
        columns.append(sa.Column(KEY[table], sa.SmallInteger(), nullable=False))
    return [id_column, *columns]


def _constraints(table, partitioned):
    """Primary key, foreign keys and unique rules, by the naming convention's names."""
    if table == 'lesson_progress':
        return [
            sa.PrimaryKeyConstraint('id', 'year', name='pk_lesson_progress') if partitioned
            else sa.PrimaryKeyConstraint('id', name='pk_lesson_progress'),
            sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name='fk_lesson_progress_lesson_id_lesson'),
            sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name='fk_lesson_progress_user_id_user_account'),
            sa.UniqueConstraint('user_id', 'lesson_id', 'year', name='uq_lesson_progress_user_id_lesson_id_year')
            if partitioned else sa.UniqueConstraint('user_id', 'lesson_id', name='uq_lesson_progress_user_id_lesson_id'),
        ]
    if table == 'quiz_attempt':
        return [
            sa.PrimaryKeyConstraint('id', 'year', name='pk_quiz_attempt') if partitioned
            else sa.PrimaryKeyConstraint('id', name='pk_quiz_attempt'),
            sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name='fk_quiz_attempt_quiz_id_quiz'),
            sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name='fk_quiz_attempt_user_id_user_account'),
            sa.UniqueConstraint('user_id', 'quiz_id', 'number', 'year', name='uq_quiz_attempt_user_id_quiz_id_number_year')
            if partitioned else sa.UniqueConstraint('user_id', 'quiz_id', 'number', name='uq_quiz_attempt_user_id_quiz_id_number'),
        ]
    return [
        sa.PrimaryKeyConstraint('id', 'attempt_year', name='pk_attempt_answer') if partitioned
        else sa.PrimaryKeyConstraint('id', name='pk_attempt_answer'),
        sa.ForeignKeyConstraint(['attempt_id', 'attempt_year'], ['quiz_attempt.id', 'quiz_attempt.year'],
                                name='fk_attempt_answer_attempt_id_quiz_attempt') if partitioned
        else sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempt.id'], name='fk_attempt_answer_attempt_id_quiz_attempt'),
        sa.UniqueConstraint('attempt_id', 'attempt_year', 'qid', name='uq_attempt_answer_attempt_id_attempt_year_qid')
        if partitioned else sa.UniqueConstraint('attempt_id', 'qid', name='uq_attempt_answer_attempt_id_qid'),
    ]


INDEXES = {
    'lesson_progress': (('ix_lesson_progress_lesson_id', ['lesson_id']), ('ix_lesson_progress_user_id', ['user_id'])),
    'quiz_attempt': (('ix_quiz_attempt_percent', ['percent']), ('ix_quiz_attempt_quiz_id', ['quiz_id']),
                     ('ix_quiz_attempt_user_id', ['user_id'])),
    'attempt_answer': (('ix_attempt_answer_attempt_id', ['attempt_id']), ('ix_attempt_answer_qid', ['qid'])),
}


def _set_aside(table):
    """Rename ``table`` to ``<table>_old`` and drop its keys, rules and indexes (their names are
    wanted by the new table); its id sequence is released so dropping the old table keeps it."""
    connection = op.get_bind()
    op.rename_table(table, f'{table}_old')
    constraints = connection.scalars(sa.text(
        "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) AND contype IN ('f', 'u', 'p')"
        " AND conparentid = 0"
        " ORDER BY contype"), {'t': f'{table}_old'}).all()
    for name in constraints:
        op.execute(f'ALTER TABLE {table}_old DROP CONSTRAINT {name}')
    indexes = connection.scalars(sa.text(
        "SELECT indexname FROM pg_indexes WHERE tablename = :t AND schemaname = current_schema()"),
        {'t': f'{table}_old'}).all()
    for name in indexes:
        op.execute(f'DROP INDEX {name}')
    for name in connection.scalars(sa.text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass) AND NOT tgisinternal"),
            {'t': f'{table}_old'}).all():
        op.execute(f'DROP TRIGGER {name} ON {table}_old')
    op.execute(f'ALTER SEQUENCE {table}_id_seq OWNED BY NONE')


def _create(table, partitioned):
    kwargs = {'postgresql_partition_by': f'LIST ({KEY[table]})'} if partitioned else {}
    op.create_table(table, *_columns(table, partitioned), *_constraints(table, partitioned), **kwargs)
    for name, columns in INDEXES[table]:
        op.create_index(name, table, columns, unique=False)
    op.execute(f'ALTER SEQUENCE {table}_id_seq OWNED BY {table}.id')


def _pg_triggers():
    for table, trigger, columns in ONE_ROW:
        lock_key = " || ' ' || ".join(f'NEW.{c}' for c in columns)
        same = ' AND '.join(f'{c} = NEW.{c}' for c in columns)
        op.execute(f"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- Two inserts of the same pair wait for each other, so the second sees the first.
                PERFORM pg_advisory_xact_lock(hashtextextended('{table} ' || {lock_key}, 0));
                IF EXISTS (SELECT 1 FROM {table} WHERE {same} AND year <> NEW.year) THEN
                    RAISE unique_violation USING MESSAGE = 'duplicate key value violates unique rule of {table} ({', '.join(columns)}) across years';
                END IF;
                RETURN NEW;
            END $$""")
        op.execute(f'CREATE TRIGGER {trigger} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {trigger}()')


def _sqlite_triggers():
    for table, trigger, columns in ONE_ROW:
        same = ' AND '.join(f'{c} = NEW.{c}' for c in columns)
        op.execute(f"""
            CREATE TRIGGER {trigger} BEFORE INSERT ON {table}
            WHEN EXISTS (SELECT 1 FROM {table} WHERE {same})
            BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: {table} ({', '.join(columns)})'); END""")


def _years(connection):
    """The years that get their own partition: those holding rows (within 1945..2100), this year and the next."""
    this_year = dt.datetime.now(dt.timezone.utc).year
    found = set(connection.scalars(sa.text(
        'SELECT DISTINCT CAST(extract(year FROM first_opened_at) AS integer) FROM lesson_progress_old'
        ' UNION SELECT DISTINCT CAST(extract(year FROM started_at) AS integer) FROM quiz_attempt_old')))
    return sorted({year for year in found if 1945 <= year <= 2100} | {this_year, this_year + 1})


def _pg_upgrade():
    connection = op.get_bind()
    for table in reversed(TABLES):
        _set_aside(table)
    years = _years(connection)
    for table in TABLES:
        _create(table, partitioned=True)
        for year in years:
            op.execute(f'CREATE TABLE {table}_{year} PARTITION OF {table} FOR VALUES IN ({year})')
        op.execute(f'CREATE TABLE {table}_default PARTITION OF {table} DEFAULT')
    op.execute(
        'INSERT INTO lesson_progress (id, user_id, lesson_id, first_opened_at, last_seen_at, studied_at, seconds_spent, year)'
        ' SELECT id, user_id, lesson_id, first_opened_at, last_seen_at, studied_at, seconds_spent,'
        ' extract(year FROM first_opened_at) FROM lesson_progress_old')
    op.execute(
        'INSERT INTO quiz_attempt (id, quiz_id, user_id, number, bank_version, status, started_at, deadline,'
        ' submitted_at, late, paper, pass_score, review, score, max_score, percent, passed, year)'
        ' SELECT id, quiz_id, user_id, number, bank_version, status, started_at, deadline, submitted_at, late,'
        ' paper, pass_score, review, score, max_score, percent, passed, extract(year FROM started_at)'
        ' FROM quiz_attempt_old')
    op.execute(
        'INSERT INTO attempt_answer (id, attempt_id, qid, response, response_key, saved_at, fraction, score, attempt_year)'
        ' SELECT a.id, a.attempt_id, a.qid, a.response, a.response_key, a.saved_at, a.fraction, a.score,'
        ' extract(year FROM q.started_at) FROM attempt_answer_old a JOIN quiz_attempt_old q ON q.id = a.attempt_id')
    for table in reversed(TABLES):
        op.drop_table(f'{table}_old')
    _pg_triggers()


def _pg_downgrade():
    for table, trigger, _columns_unique in ONE_ROW:
        op.execute(f'DROP TRIGGER {trigger} ON {table}')
        op.execute(f'DROP FUNCTION {trigger}()')
    for table in reversed(TABLES):
        _set_aside(table)
    for table in TABLES:
        _create(table, partitioned=False)
    op.execute(
        'INSERT INTO lesson_progress (id, user_id, lesson_id, first_opened_at, last_seen_at, studied_at, seconds_spent)'
        ' SELECT id, user_id, lesson_id, first_opened_at, last_seen_at, studied_at, seconds_spent FROM lesson_progress_old')
    op.execute(
        'INSERT INTO quiz_attempt (id, quiz_id, user_id, number, bank_version, status, started_at, deadline,'
        ' submitted_at, late, paper, pass_score, review, score, max_score, percent, passed)'
        ' SELECT id, quiz_id, user_id, number, bank_version, status, started_at, deadline, submitted_at, late,'
        ' paper, pass_score, review, score, max_score, percent, passed FROM quiz_attempt_old')
    op.execute(
        'INSERT INTO attempt_answer (id, attempt_id, qid, response, response_key, saved_at, fraction, score)'
        ' SELECT id, attempt_id, qid, response, response_key, saved_at, fraction, score FROM attempt_answer_old')
    for table in reversed(TABLES):
        op.drop_table(f'{table}_old')  # and its partitions with it


def _sqlite_upgrade():
    with op.batch_alter_table('lesson_progress') as batch_op:
        batch_op.add_column(sa.Column('year', sa.SmallInteger(), nullable=True))
    with op.batch_alter_table('quiz_attempt') as batch_op:
        batch_op.add_column(sa.Column('year', sa.SmallInteger(), nullable=True))
    with op.batch_alter_table('attempt_answer') as batch_op:
        batch_op.add_column(sa.Column('attempt_year', sa.SmallInteger(), nullable=True))
    op.execute("UPDATE lesson_progress SET year = CAST(strftime('%Y', first_opened_at) AS INTEGER)")
    op.execute("UPDATE quiz_attempt SET year = CAST(strftime('%Y', started_at) AS INTEGER)")
    op.execute('UPDATE attempt_answer SET attempt_year = (SELECT year FROM quiz_attempt WHERE quiz_attempt.id = attempt_answer.attempt_id)')
    with op.batch_alter_table('lesson_progress') as batch_op:
        batch_op.alter_column('year', existing_type=sa.SmallInteger(), nullable=False)
        batch_op.drop_constraint('uq_lesson_progress_user_id_lesson_id', type_='unique')
        batch_op.create_unique_constraint('uq_lesson_progress_user_id_lesson_id_year', ['user_id', 'lesson_id', 'year'])
    with op.batch_alter_table('quiz_attempt') as batch_op:
        batch_op.alter_column('year', existing_type=sa.SmallInteger(), nullable=False)
        batch_op.drop_constraint('uq_quiz_attempt_user_id_quiz_id_number', type_='unique')
        batch_op.create_unique_constraint('uq_quiz_attempt_user_id_quiz_id_number_year', ['user_id', 'quiz_id', 'number', 'year'])
        batch_op.create_unique_constraint('uq_quiz_attempt_id_year', ['id', 'year'])
    with op.batch_alter_table('attempt_answer') as batch_op:
        batch_op.alter_column('attempt_year', existing_type=sa.SmallInteger(), nullable=False)
        batch_op.drop_constraint('fk_attempt_answer_attempt_id_quiz_attempt', type_='foreignkey')
        batch_op.drop_constraint('uq_attempt_answer_attempt_id_qid', type_='unique')
        batch_op.create_foreign_key('fk_attempt_answer_attempt_id_quiz_attempt', 'quiz_attempt',
                                    ['attempt_id', 'attempt_year'], ['id', 'year'])
        batch_op.create_unique_constraint('uq_attempt_answer_attempt_id_attempt_year_qid', ['attempt_id', 'attempt_year', 'qid'])
    _sqlite_triggers()  # after the batch steps: rebuilding a table drops its triggers


def _sqlite_downgrade():
    for _table, trigger, _columns_unique in ONE_ROW:
        op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    with op.batch_alter_table('attempt_answer') as batch_op:
        batch_op.drop_constraint('uq_attempt_answer_attempt_id_attempt_year_qid', type_='unique')
        batch_op.drop_constraint('fk_attempt_answer_attempt_id_quiz_attempt', type_='foreignkey')
        batch_op.create_foreign_key('fk_attempt_answer_attempt_id_quiz_attempt', 'quiz_attempt', ['attempt_id'], ['id'])
        batch_op.create_unique_constraint('uq_attempt_answer_attempt_id_qid', ['attempt_id', 'qid'])
        batch_op.drop_column('attempt_year')
    with op.batch_alter_table('quiz_attempt') as batch_op:
        batch_op.drop_constraint('uq_quiz_attempt_id_year', type_='unique')
        batch_op.drop_constraint('uq_quiz_attempt_user_id_quiz_id_number_year', type_='unique')
        batch_op.create_unique_constraint('uq_quiz_attempt_user_id_quiz_id_number', ['user_id', 'quiz_id', 'number'])
        batch_op.drop_column('year')
    with op.batch_alter_table('lesson_progress') as batch_op:
        batch_op.drop_constraint('uq_lesson_progress_user_id_lesson_id_year', type_='unique')
        batch_op.create_unique_constraint('uq_lesson_progress_user_id_lesson_id', ['user_id', 'lesson_id'])
        batch_op.drop_column('year')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        _pg_upgrade()
    else:
        _sqlite_upgrade()


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        _pg_downgrade()
    else:
        _sqlite_downgrade()
