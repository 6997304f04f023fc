"""Vietnamese text helpers: cleaning typed text, folding diacritics for search and usernames."""
from __future__ import annotations

import re
import unicodedata

# Characters no one means to type: C0/C1 controls (XML writers such as python-docx and openpyxl refuse
# most of them), the non-characters U+FFFE/U+FFFF, and the bidi embeddings, overrides and isolates that
# make a name read differently from how it is stored ("Trojan Source").
_INVISIBLE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_LINE_BREAKS_RE = re.compile(r"[\t\n\r\u2028\u2029]+")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Text as LearnHub keeps it: NFC, without control, non- and bidi-override characters; a one-line
    text has its tabs and line breaks as spaces, a multi-line one keeps them (line ends as "\\n")."""
    text = unicodedata.normalize("NFC", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = _LINE_BREAKS_RE.sub(" ", text)
    return _INVISIBLE_RE.sub("", text)


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
