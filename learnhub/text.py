"""Vietnamese text helpers: folding diacritics for search and usernames."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def username_base(full_name: str) -> str:
    """A readable username stem from a full name: "Nguyễn Văn An" -> "an.nguyenvan"."""
    words = re.sub(r"[^a-z0-9 ]", "", fold(full_name)).split()
    if not words:
        return "user"
    if len(words) == 1:
        return words[0]
    return f"{words[-1]}.{''.join(words[:-1])}"[:60]
