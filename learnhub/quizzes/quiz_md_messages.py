"""The quiz.md reader's problems in the reader's language: the command line prints them in English as
the reader wrote them (``quiz.md:12: ...``); the browser matches each against these patterns and says it
again from the catalogue (a message no pattern knows is shown as it came)."""
from __future__ import annotations

import re

from flask_babel import gettext


def N_(message: str) -> str:  # noqa: N802 (gettext's marker: extracted here, translated when shown)
    return message


# (the English message as quiz_md.py and the kinds write it, as a pattern; its msgid)
PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), msgid) for pattern, msgid in (
    (r"text before the first question", N_("There is text before the first question: start each question with ## .")),
    (r"the file has no questions \(each starts with '## '\)", N_("The quiz has no questions yet: add one.")),
    (r"the id '(?P<qid>.*)' is already used by the question at line (?P<line>\d+)",
     N_("Two questions have the same id “%(qid)s”: duplicate questions by the “Duplicate” button, which gives the copy its own id.")),
    (r"invalid YAML: (?P<detail>.*)", N_("The quiz settings at the top cannot be read (%(detail)s).")),
    (r"the id \{#(?P<qid>.*)\} may only use a-z, 0-9 and '-'", N_("The question id “%(qid)s” may only use a-z, 0-9 and '-'.")),
    (r"points must be a whole number from 1 to \d+", N_("The points must be a whole number, at least 1.")),
    (r"text between answer lines", N_("There is text between the answers: keep the answers together.")),
    (r"text after the explanation", N_("There is text after the explanation: move it into the question or the explanation.")),
    (r"text after the answer lines \(an explanation starts with '> '\)",
     N_("There is text after the answers: write it in the question's “Explanation” box.")),
    (r"the heading has no question text", N_("The question has no text: write the question.")),
    (r"the question has no answers", N_("The question has no answers: write its answers.")),
    (r"mixed answer kinds: .*", N_("The question mixes kinds of answers: keep one kind per question.")),
    (r"a choice needs text after \[x\] or \[ \]", N_("An answer to choose from is empty: write it or leave the row out.")),
    (r"a choice list needs at least one \[x\]", N_("No answer is ticked as right: tick the right answer.")),
    (r"a true/false question needs exactly one \[x\]", N_("Tick either true or false as the right answer.")),
    (r"an '=' line needs an answer after it", N_("An accepted answer is empty: write it or leave the row out.")),
    (r"the range (?P<low>\S+)\.\.(?P<high>\S+) ends below its start",
     N_("The range %(low)s..%(high)s ends below its start: write the smaller number first.")),
    (r"a tolerance after '±' cannot be negative", N_("The allowed margin cannot be negative.")),
    (r"a matching pair needs text on both sides of '->'", N_("Each pair needs text on both sides.")),
    (r"a matching question needs at least two pairs", N_("Write at least two pairs to match.")),
    (r"an item needs text after its \[n\]", N_("An item to put in order is empty: write it or leave the row out.")),
    (r"an ordering question needs from 2 to (?P<n>\d+) items", N_("Write from 2 to 50 items, in their right order.")),
    (r"the items' positions must be 1 to (?P<n>\d+), each once", N_("Each position from 1 to %(n)s must be used once.")),
    (r"two items have the same text", N_("Two items have the same text: make each item different.")),
    (r"unknown key '(?P<key>.*)' is ignored", N_("The quiz setting “%(key)s” is not used and is ignored.")),
    (r"'pass_score' is required", N_("The quiz needs a pass score (pass_score) in its settings.")),
    (r"'draw' \((?P<n>\d+)\) is larger than the number of questions \((?P<count>\d+)\)",
     N_("The quiz draws %(n)s questions but has only %(count)s: draw fewer or add questions.")),
    (r"'draw' asks (?P<n>\d+) questions of the category '(?P<name>.*)', which has (?P<count>\d+)",
     N_("The quiz draws %(n)s questions of the category “%(name)s”, which has %(count)s: draw fewer or add questions to it.")),
    (r"'(?P<key>[a-z_]+)' must be .*", N_("The quiz setting “%(key)s” has a value LearnHub cannot use.")),
)]


def localise_md(message: str) -> str:
    """A quiz.md reader's message in the reader's language (as it came when no pattern knows it)."""
    for pattern, msgid in PATTERNS:
        match = pattern.fullmatch(message)
        if match is not None:
            return gettext(msgid, **match.groupdict())
    return gettext(message)
