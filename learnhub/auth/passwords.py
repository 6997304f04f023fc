"""The password rules, applied wherever a password is set (web forms, `learnhub users create`,
and as a last guard in `User.set_password`).

8 to 128 characters, taken whole (never trimmed or truncated: scrypt hashes every character), and
not easy to guess: not in a list of 19,640 common passwords (`common-passwords.txt.gz`, from
Django; see COMMON-PASSWORDS-LICENSE.txt), not the username, and not LearnHub's own obvious words
("hoctap", "matkhau", "learnhub", ...) with at most three digits or symbols added.
"""
from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from learnhub.text import fold

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")
# Words anyone would try first against a Vietnamese Party-study site.
OBVIOUS_WORDS = frozenset({
    "learnhub", "hoctap", "matkhau", "password", "dangvien", "dangbo", "chibo", "capuy", "bithu",
    "tuyentruyen", "quantri", "admin", "administrator", "vietnam", "hochiminh", "bacho", "nghiquyet",
    "chithi", "thitran", "dangcongsan", "dcsvn", "tochuc", "hocnghiquyet",
})
_SEPARATORS = re.compile(r"[\s._-]+")
_SHORT_SUFFIX = re.compile(r"^(?P<core>.*?)[0-9!@#$%^&*?]{0,3}$")

# English, for the command line; the web forms have translated messages for the same keys.
MESSAGES = {
    "too_short": f"the password must have at least {MIN_LENGTH} characters",
    "too_long": f"the password must have at most {MAX_LENGTH} characters",
    "same_as_username": "the password must not be the username",
    "too_simple": "the password must use more than two different characters",
    "common": "the password is too common or too easy to guess",
}


class WeakPassword(ValueError):
    """A password the rules refuse; ``str(exc)`` is the problem key (see MESSAGES)."""

    @property
    def problem(self) -> str:
        return str(self.args[0])

    def message(self) -> str:
        return MESSAGES[self.problem]


@cache
def common_passwords() -> frozenset[str]:
    """The lower-case common passwords (loaded once per process, about 1 MB of memory)."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _squeeze(text: str) -> str:
    """Lower-case ASCII without diacritics, spaces or separators: "Mật khẩu" -> "matkhau"."""
    return _SEPARATORS.sub("", fold(text))


def _core(text: str) -> str:
    """``text`` without up to three trailing digits or symbols: "hoctap123" -> "hoctap"."""
    match = _SHORT_SUFFIX.match(text)
    return match.group("core") if match else text


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` is not acceptable (a key of MESSAGES), or None when it is."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    squeezed = _squeeze(password)
    core = _core(squeezed)
    name = _squeeze(username)
    if name and (name in (squeezed, core) or squeezed[::-1] == name):
        return "same_as_username"
    if len(set(password)) <= 2:
        return "too_simple"
    common = common_passwords()
    if password.lower() in common or squeezed in common or core in OBVIOUS_WORDS | common:
        return "common"
    return None
