"""Vietnamese mobile numbers: the one rule for what LearnHub accepts and how it stores them (+84...)."""
from __future__ import annotations

import re
import unicodedata

# A mobile number is 10 digits written 0xxxxxxxxx, or +84/84 and the 9 digits after the 0; the
# networks' prefixes start with 3, 5, 7, 8 or 9 (Viettel, Vinaphone, MobiFone, Vietnamobile, ...).
_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"(?:\+?84|0)([35789][0-9]{8})")  # ASCII digits: \d takes every script's


class NotAMobile(ValueError):
    """The text is not a Vietnamese mobile number."""


def normalise_phone(raw: str) -> str:
    """``raw`` as +84xxxxxxxxx; spaces, dots, dashes and brackets are ignored, full-width digits and
    signs (typed with a Vietnamese or East Asian keyboard) read as plain ones. Raises NotAMobile."""
    match = _MOBILE.fullmatch(_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)))
    if match is None:
        raise NotAMobile(raw)
    return "+84" + match[1]


def mobile_or_none(raw: str | None) -> str | None:
    """The normalised number, or None when ``raw`` is empty or not a mobile (numbers stored before
    the rule may be landlines: they get no text message)."""
    try:
        return normalise_phone(raw) if raw else None
    except NotAMobile:
        return None
