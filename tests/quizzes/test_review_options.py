"""Review options as data, without a database: the moments, the default, the old single words,
and the quiz.md front matter that writes them."""
from __future__ import annotations

import pytest

from learnhub.quizzes.cli import gift_problems
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.quiz_md_writer import export_quiz_md
from learnhub.quizzes.review import DEFAULT, EVERYTHING, RESULT, Phase, Shown, phase, review_options

QUESTION = "\n## Câu hỏi\n\n- [x] Đúng\n- [ ] Sai\n"


def test_the_moment_is_the_members() -> None:
    assert phase(attempts_left=2, in_progress=False, closed=False) == Phase.attempts_remain
    assert phase(attempts_left=None, in_progress=False, closed=False) == Phase.attempts_remain  # unlimited
    assert phase(attempts_left=0, in_progress=False, closed=False) == Phase.last_attempt
    assert phase(attempts_left=0, in_progress=True, closed=False) == Phase.attempts_remain  # still answering
    assert phase(attempts_left=2, in_progress=False, closed=True) == Phase.closed


def test_the_default_and_the_old_words_never_show_answers_while_attempts_remain() -> None:
    for value in (None, "always", "after_pass"):
        options = review_options(value)
        assert options == DEFAULT and Shown.answers not in options[Phase.attempts_remain]
        assert options[Phase.last_attempt] == options[Phase.closed] == EVERYTHING
    assert review_options("never") == {moment: RESULT for moment in Phase}


def test_a_mapping_sets_its_moments_and_keeps_the_default_for_the_others() -> None:
    options = review_options({"while_attempts_remain": ["score"], "after_close": []})
    assert options == {Phase.attempts_remain: {Shown.score}, Phase.last_attempt: EVERYTHING, Phase.closed: set()}


def test_quiz_md_reads_and_writes_review_options() -> None:
    text = ("---\npass_score: 80\nreview:\n  while_attempts_remain: [score]\n"
            "  after_last_attempt: [score, correctness, answers]\n---\n" + QUESTION)
    bank, problems = parse_quiz_md(text)
    assert problems == [] and bank is not None
    assert bank.settings.review == {"while_attempts_remain": ["score"],
                                    "after_last_attempt": ["score", "correctness", "answers"]}
    written = export_quiz_md(bank)
    assert "review:\n  while_attempts_remain: [score]\n  after_last_attempt: [score, correctness, answers]\n" in written
    again, _ = parse_quiz_md(written)
    assert again is not None and again.settings == bank.settings
    assert gift_problems(bank) == ["GIFT front matter holds only a single-word 'review' (always, after_pass, never)"]


@pytest.mark.parametrize("review", ["review: sometimes", "review:\n  later: [score]",
                                    "review:\n  after_close: [score, score]", "review:\n  after_close: score"])
def test_quiz_md_refuses_unknown_review_options(review: str) -> None:
    bank, problems = parse_quiz_md(f"---\npass_score: 80\n{review}\n---\n" + QUESTION)
    assert bank is None and [p.line for p in problems] == [3]
