"""Writing a Bank as Moodle GIFT: ``export_gift`` gives text that ``parse_gift`` reads back unchanged.

Export is canonical, so GIFT -> import -> export -> import -> export is stable. Authors' ``::title::``
are kept; an id the title would not give back is written as Moodle's ``// [id:...]`` comment. Each
question's kind writes its answer block (``gift_block``); a kind GIFT lacks is refused before
(``cli.gift_problems``).
"""
from __future__ import annotations

import json

from learnhub.quizzes.bank import Bank, Question, derive_question_id
from learnhub.quizzes.gift_text import clean, escape, slug, text_format_of
from learnhub.quizzes.kinds import kind_of

OPTIONAL = ("draw", "time_limit", "max_attempts")


def export_gift(bank: Bank) -> str:
    """The bank as GIFT with its settings as front matter; the same bank gives the same text."""
    chunks, category = [_export_settings(bank)], ""
    for question in bank.questions:
        if (current := " ".join(clean(question.category).split())) != category:
            chunks.append(f"$CATEGORY: {current}".rstrip())
            category = current
        chunks.append(_export_question(question))
    return "\n\n".join(chunks) + "\n"


def _export_id(question: Question) -> str:
    """The question's id as the reader gives it back (a slug)."""
    return slug(question.id) or derive_question_id(clean(question.stem))


def _export_settings(bank: Bank) -> str:
    """The front matter: the six settings in a fixed order, then points other than 1."""
    s = bank.settings
    lines = ["---", f"pass_score: {s.pass_score}"]
    for key in OPTIONAL:
        value = getattr(s, key)
        if isinstance(value, dict):  # a draw by category, names quoted (JSON strings are YAML)
            lines += [f"{key}:", *(f"  {json.dumps(name, ensure_ascii=False)}: {n}" for name, n in value.items())]
        elif value is not None:
            lines.append(f"{key}: {value}")
    lines += [f"shuffle: {'true' if s.shuffle else 'false'}", f"review: {s.review}"]
    points = [f'  "{_export_id(q)}": {q.points}' for q in bank.questions if q.points != 1]
    return "\n".join([*lines, *(["points:", *points] if points else []), "---"])


def _export_question(q: Question) -> str:
    """Title (the id when there is none), format and stem, the kind's answer block in place of a blank."""
    fmt = text_format_of(q)
    ident = _export_id(q)
    title = " ".join(clean(q.title).split()) or ident
    comment = f"// [id:{ident}]\n" if slug(title) != ident else ""
    head = f"{comment}::{escape(title)}::[{fmt}]"
    stem, block = clean(q.stem), kind_of(q).gift_block(q)
    blank = stem.find("___")
    if blank >= 0 and stem[blank + 3:].strip():
        before, after = escape(stem[:blank], strip=False), escape(stem[blank + 3:], strip=False)
        return head + before + block + after
    return f"{head}{escape(stem)} {block}"
