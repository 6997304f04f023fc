"""Each question kind writes its own GIFT answer block; the writer only adds the title and stem."""
from __future__ import annotations

import pytest

from learnhub.quizzes.bank import (
    Bank,
    Choice,
    NumericAnswer,
    Pair,
    Question,
    QuizSettings,
    TextAnswer,
)
from learnhub.quizzes.gift_export import export_gift
from learnhub.quizzes.kinds import REGISTRY, KindName, QuestionKind, kind_named, kind_of
from learnhub.quizzes.kinds.choice import SingleChoice

EXAMPLES = [
    (Question("t", "truefalse", "?", choices=[Choice("a", "Đúng", 1.0), Choice("b", "Sai")]), "{TRUE}"),
    (Question("s", "single", "?", choices=[Choice("a", "A", 1.0), Choice("b", "B")]), "{\n\t=A\n\t~B\n}"),
    (Question("m", "multiple", "?", all_or_nothing=False,
              choices=[Choice("a", "A", 0.5), Choice("b", "B", 0.5), Choice("c", "C", -1.0)]),
     "{\n\t~%50%A\n\t~%50%B\n\t~%-100%C\n}"),
    (Question("w", "short", "?", answers=[TextAnswer("lãnh đạo"), TextAnswer("lanh dao", 0.5)]),
     "{\n\t=lãnh đạo\n\t=%50%lanh dao\n}"),
    (Question("n", "numerical", "?", numeric=[NumericAnswer(98, 1)]), "{#98:1}"),
    (Question("p", "matching", "?", pairs=[Pair("Một", "1"), Pair("Hai", "2")]), "{\n\t=Một -> 1\n\t=Hai -> 2\n}"),
]


@pytest.mark.parametrize("question, block", EXAMPLES, ids=lambda value: getattr(value, "kind", ""))
def test_each_kind_writes_its_gift_block(question: Question, block: str) -> None:
    assert kind_of(question).gift_block(question) == block
    assert export_gift(Bank(QuizSettings(), [question])).endswith(f"::{question.id}::[markdown]? {block}\n")


def test_every_kind_gift_can_express_writes_its_own_block() -> None:
    writers = {name for name, kind in REGISTRY.items() if type(kind).gift_block is not QuestionKind.gift_block}
    assert writers == {name for name, kind in REGISTRY.items() if kind.gift}
    assert not kind_named(KindName.ordering).gift


def test_the_writer_puts_the_kinds_block_in_place_of_the_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    class Marked(SingleChoice):
        def gift_block(self, question: Question) -> str:
            return "{=marked}"

    monkeypatch.setitem(REGISTRY, "single", Marked())
    question = Question("q", "single", "Thủ đô là ___ của cả nước.", choices=[Choice("a", "A", 1.0)])
    assert "::q::[markdown]Thủ đô là {=marked} của cả nước." in export_gift(Bank(QuizSettings(), [question]))
