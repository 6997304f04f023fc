"""Quiz banks built as data (no parser involved), for tests of attempts, pages and reports."""
from __future__ import annotations

from learnhub.quizzes.bank import (
    Choice,
    NumericAnswer,
    Pair,
    Question,
    TextAnswer,
)


def sample_questions(count: int = 12) -> list[Question]:
    """A bank of every kind; the right choice is always written first ("a"), as authors do."""
    kinds = [
        lambda n: Question(f"chon-{n}", "single", f"Câu chọn một số {n}?",
                           choices=[Choice("a", f"Đáp án đúng {n}", 1.0), Choice("b", "Sai một", 0.0), Choice("c", "Sai hai", 0.0)],
                           explanation=f"Giải thích câu {n}."),
        lambda n: Question(f"nhieu-{n}", "multiple", f"Câu chọn nhiều số {n}?",
                           choices=[Choice("a", "Đúng một", 1.0), Choice("b", "Đúng hai", 1.0), Choice("c", "Sai", 0.0)]),
        lambda n: Question(f"dung-sai-{n}", "truefalse", f"Nhận định số {n}.",
                           choices=[Choice("a", "Đúng", 1.0), Choice("b", "Sai", 0.0)]),
        lambda n: Question(f"dien-{n}", "short", f"Điền từ số {n}: phương thức ___ của Đảng.",
                           answers=[TextAnswer("lãnh đạo")]),
        lambda n: Question(f"so-{n}", "numerical", f"Tỷ lệ mục tiêu số {n}?", numeric=[NumericAnswer(98, 1)]),
        lambda n: Question(f"noi-{n}", "matching", f"Nối số {n}", pairs=[Pair("Một là", "Nhận thức"), Pair("Hai là", "Kế hoạch"), Pair("Sáu là", "Kiểm tra")]),
    ]
    return [kinds[n % len(kinds)](n) for n in range(count)]


RIGHT = {"single": "a", "truefalse": "a", "multiple": ["a", "b"], "short": "Lãnh Đạo", "numerical": "98,5",
         "matching": {"0": "0", "1": "1", "2": "2"}}


def ordering_question(n: int = 0) -> Question:
    """An ordering question: four items, written in their right order."""
    return Question(f"thu-tu-{n}", "ordering", f"Sắp xếp các bước số {n} theo thứ tự.",
                    items=["Quán triệt", "Xây dựng kế hoạch", "Tổ chức thực hiện", "Kiểm tra, giám sát"])
