"""draft file names, and a draft for every module

Lessons keep the file name they were imported with (``draft_file.file_name``), so exporting a module
gives back ``10-tong-ket.md`` rather than renumbering it. Every module gets its draft here, written
from what members see, as the authoring pages did on first visit (a GET that wrote): those pages now
only read. The texts are composed as learnhub.authoring.drafts composes them, by a copy kept here so
this step does not change when the code does.

Revision ID: 5b7e2c91d0a4
Revises: f43cd9208eda
Create Date: 2026-12-04 20:20:00

"""
import datetime as dt
import hashlib
import unicodedata

import sqlalchemy as sa
import yaml
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b7e2c91d0a4"
down_revision = "f43cd9208eda"
branch_labels = None
depends_on = None

course = sa.table(
    "course", sa.column("id", sa.Integer), sa.column("title", sa.String), sa.column("kind", sa.String),
    sa.column("summary", sa.Text), sa.column("language", sa.String), sa.column("tags", sa.JSON),
    sa.column("public", sa.Boolean), sa.column("document_number", sa.String),
    sa.column("document_issued_by", sa.String), sa.column("document_issued_on", sa.Date),
    sa.column("intro_markdown", sa.Text), sa.column("quiz_format", sa.String), sa.column("quiz_source", sa.Text),
    sa.column("published_at", sa.DateTime), sa.column("files_digest", sa.String),
    sa.column("published_digest", sa.String),
)
lesson = sa.table(
    "lesson", sa.column("course_id", sa.Integer), sa.column("slug", sa.String), sa.column("position", sa.Integer),
    sa.column("title", sa.String), sa.column("minutes", sa.Integer), sa.column("key_points", sa.JSON),
    sa.column("body_markdown", sa.Text), sa.column("archived_at", sa.DateTime),
)
draft_file = sa.table(
    "draft_file", sa.column("course_id", sa.Integer), sa.column("key", sa.String), sa.column("position", sa.Integer),
    sa.column("text", sa.Text), sa.column("revision", sa.Integer), sa.column("archived_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime), sa.column("updated_by_id", sa.Integer),
)
revision_table = sa.table(
    "revision", sa.column("course_id", sa.Integer), sa.column("key", sa.String), sa.column("number", sa.Integer),
    sa.column("kind", sa.String), sa.column("text", sa.Text), sa.column("author_id", sa.Integer),
    sa.column("created_at", sa.DateTime), sa.column("updated_at", sa.DateTime), sa.column("based_on", sa.Integer),
    sa.column("restored_from", sa.Integer),
)
course_media = sa.table("course_media", sa.column("course_id", sa.Integer), sa.column("path", sa.String),
                        sa.column("sha256", sa.String))


def upgrade():
    with op.batch_alter_table("draft_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_name", sa.String(length=100), nullable=True))
    connection = op.get_bind()
    with_draft = sa.select(draft_file.c.course_id).distinct()
    for row in connection.execute(sa.select(course).where(course.c.id.not_in(with_draft))).mappings().all():
        _write_draft(connection, row)


def downgrade():
    # The drafts written here stay (they are the modules' texts); only the file names go.
    with op.batch_alter_table("draft_file", schema=None) as batch_op:
        batch_op.drop_column("file_name")


def _normalise(text):
    return unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _compose(data, body):
    body = _normalise(body).strip("\n")
    front = yaml.safe_dump({k: v for k, v in data.items() if v not in (None, "", [])}, allow_unicode=True,
                           sort_keys=False, default_flow_style=False, width=1000)
    return "---\n" + front + "---\n" + (body + "\n" if body else "")


def _files(connection, row):
    """key -> (position, text), as learnhub.authoring.publishing.ensure_draft writes them."""
    document = {"number": row["document_number"], "issued_by": row["document_issued_by"],
                "issued_on": row["document_issued_on"]}
    tags = row["tags"] if isinstance(row["tags"], list) else []
    data = {
        "title": row["title"], "kind": row["kind"], "document": {k: v for k, v in document.items() if v} or None,
        "summary": row["summary"], "language": row["language"] if row["language"] != "vi" else None,
        "tags": list(tags), "public": True if row["public"] else None,
    }
    files = {"course.md": (0, _compose(data, row["intro_markdown"]))}
    lessons = connection.execute(
        sa.select(lesson).where(lesson.c.course_id == row["id"], lesson.c.archived_at.is_(None))
        .order_by(lesson.c.position)
    ).mappings()
    for item in lessons:
        points = item["key_points"] if isinstance(item["key_points"], list) else []
        points = [_normalise(str(p)).strip() for p in points if str(p).strip()]
        text = _compose({"title": _normalise(item["title"]).strip(), "minutes": item["minutes"], "key_points": points},
                        item["body_markdown"])
        files["lesson:" + item["slug"]] = (item["position"], text)
    if row["quiz_source"] and row["quiz_format"] in ("md", "gift"):
        files["quiz." + row["quiz_format"]] = (0, row["quiz_source"])
    return {key: (position, _normalise(text)) for key, (position, text) in files.items()}


def _write_draft(connection, row):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    files = _files(connection, row)
    for key, (position, text) in files.items():
        connection.execute(draft_file.insert().values(
            course_id=row["id"], key=key, position=position, text=text, revision=1, archived_at=None,
            updated_at=now, updated_by_id=None))
        connection.execute(revision_table.insert().values(
            course_id=row["id"], key=key, number=1, kind="imported", text=text, author_id=None, created_at=now,
            updated_at=now, based_on=None, restored_from=None))
    digest = hashlib.sha256()
    for key, (position, text) in sorted(files.items(), key=lambda item: (item[1][0], item[0])):
        digest.update(f"{key}\0{position}\0{text}\0".encode())
    media = connection.execute(
        sa.select(course_media.c.sha256).where(course_media.c.course_id == row["id"]).order_by(course_media.c.path))
    for (sha,) in media:
        digest.update(sha.encode())
    # A module with no draft has no digests yet (they came with drafts); any that is set is kept.
    values = {}
    if row["files_digest"] is None:
        values["files_digest"] = digest.hexdigest()
    if row["published_at"] is not None and row["published_digest"] is None:
        values["published_digest"] = digest.hexdigest()
    if values:
        connection.execute(course.update().where(course.c.id == row["id"]).values(**values))
