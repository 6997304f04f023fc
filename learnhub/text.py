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


# Vietnamese alphabetical order (glossary): a ă â b c d đ e ê ... ; f j w z for foreign names.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "^", "\u031b": "+"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_MODIFIED = {("a", "ă"): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô", ("o", "+"): "ơ", ("u", "+"): "ư"}


def _letters_and_tones(word: str) -> tuple[str, str]:
    """Two-digit codes of the word's letters in Vietnamese order, and one tone digit per letter."""
    letters, tones = [], []
    for char in word:
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if mark in _LETTER_MARKS:
                base = _MODIFIED.get((base, _LETTER_MARKS[mark]), base)
            tone = _TONES.get(mark, tone)
        if base.isdigit():
            letters.append(f"{int(base) + 1:02d}")
        elif base in _ALPHABET:
            letters.append(f"{_ALPHABET.index(base) + 11:02d}")
        else:
            continue
        tones.append(str(tone))
    return "".join(letters), "".join(tones)


def name_sort_key(full_name: str) -> str:
    """A key that sorts people the Vietnamese way: given name, then family and middle names.

    Each word compares by its letters in Vietnamese order (a < ă < â ... , "00" ending the letters
    so "An" < "Anh"), then by its tones (none, huyền, hỏi, ngã, sắc, nặng), as dictionaries do.
    Only digits, so every database collation orders the key the same way.
    """
    words = unicodedata.normalize("NFC", full_name).casefold().split()
    if not words:
        return ""
    ordered = [words[-1], *words[:-1]]
    return "".join(letters + "00" + tones for letters, tones in map(_letters_and_tones, ordered))
