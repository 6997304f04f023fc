"""Reading a member list (.xlsx or .csv) into typed rows and problems, without the database."""
from __future__ import annotations

import csv
import itertools
import re
import unicodedata
import warnings
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from learnhub.auth.models import Category, Gender
from learnhub.exports import csv_unescape
from learnhub.members.filecheck import MemberFileError, bounded_lines, check_member_file
from learnhub.phones import NotAMobile, normalise_phone
from learnhub.text import fold

FIELDS = ("full_name", "unit", "category", "birth_date", "gender", "phone", "email", "username",
          "party_card")
HEADER_ALIASES: dict[str, tuple[str, ...]] = {  # compared after header_key()
    "full_name": ("ho va ten", "ho ten", "full name"),
    "unit": ("chi bo", "don vi", "unit"),
    "category": ("doi tuong", "category"),
    "birth_date": ("ngay sinh", "birth date", "date of birth"),
    "gender": ("gioi tinh", "gender"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "so dt", "phone", "phone number"),
    "email": ("email", "e mail"),
    "username": ("ten dang nhap", "username"),
    "party_card": ("so the dang vien", "so the dang", "party card", "party card number"),
}
HEADERS = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 500
MAX_NAME_LENGTH = 200
CATEGORIES = {
    **dict.fromkeys(("dang vien", "party member", "party_member", "dv"), Category.party_member),
    **dict.fromkeys(("can bo cong chuc vien chuc", "can bo, cong chuc, vien chuc", "cbccvc",
                     "cbcc", "civil servant", "civil_servant"), Category.civil_servant),
    **dict.fromkeys(("quan chung", "quan chung nhan dan", "nhan dan", "citizen"), Category.citizen),
}
GENDERS = {
    **dict.fromkeys(("nam", "male", "m", "nam gioi"), Gender.male),
    **dict.fromkeys(("nu", "female", "f", "nu gioi"), Gender.female),
}
DMY_RE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
YMD_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
NOT_A_MOBILE = _l("not a mobile number: use 10 digits such as 0912345678 or +84912345678")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,80}$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
XLSX_ERRORS = (BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError,
               ParseError)


@dataclass
class MemberRow:
    row: int
    full_name: str
    unit: str | None
    category: Category
    birth_date: date | None
    gender: Gender | None
    phone: str | None
    email: str | None
    username: str | None
    party_card: str | None


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str | None
    message: str  # a flask_babel LazyString: str() it in the reader's locale


class Invalid(Exception):
    """One cell's value is refused; args[0] is the (lazy) message."""


class MemberFileStream:
    """A member list read one data row at a time, so a file of any length costs a row's memory.

    Iterating yields, in row order, each data row as a MemberRow or as its problems (ordered by
    column); the header's problems come first. `columns`, `ignored_columns` and `total_rows` fill in
    as it goes. A file that cannot be read at all raises MemberFileError, whenever that shows.
    Only the usernames and party card numbers seen so far are kept, to report duplicates.
    """

    def __init__(
        self, path: Path, filename: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.path, self.filename, self.progress = path, filename or path.name, progress
        self.columns: dict[str, str] = {}
        self.ignored_columns: list[str] = []
        self.total_rows = 0

    def __iter__(self) -> Generator[MemberRow | RowProblem, None, None]:
        readers = {".xlsx": xlsx_rows, ".csv": csv_rows}
        suffix = Path(self.filename).suffix.lower()
        reader = readers.get(suffix)
        if reader is None:
            raise MemberFileError(_l("only .xlsx and .csv files can be imported"))
        check_member_file(self.path, suffix)  # before any parser sees the file
        self.columns, self.ignored_columns, self.total_rows = {}, [], 0
        with closing(reader(self.path)) as rows:
            yield from self._parse(rows)

    def _parse(self, rows: Iterator[tuple[int, Sequence[Any]]]) -> Iterator[MemberRow | RowProblem]:
        """Find the header row, then convert every data row below it."""
        header = find_header(rows)
        if header is None:
            raise MemberFileError(_l("no 'Họ và tên' (full_name) column found"))
        header_row, headers = header
        positions: dict[str, int] = {}
        clashes: list[RowProblem] = []
        for index, value in enumerate(headers):
            written = text(value)
            if not written:
                continue
            name = HEADERS.get(header_key(written))
            if name is None:
                self.ignored_columns.append(written)
            elif name in self.columns:
                clashes.append(RowProblem(header_row, None, _l(
                    "the columns '%(first)s' and '%(second)s' both mean %(field)s",
                    first=self.columns[name], second=written, field=name)))
            else:
                self.columns[name], positions[name] = written, index
        if clashes:  # which of the two columns to trust is the user's call, so read no rows
            yield from clashes
            return
        seen: dict[str, dict[str, int]] = {"username": {}, "party_card": {}}
        for number, values in rows:
            cells = {name: values[i] if i < len(values) else None for name, i in positions.items()}
            if not any(text(value) for value in cells.values()):
                continue  # blank, or only an ignored column such as a pre-numbered STT
            self.total_rows += 1
            if self.progress is not None and self.total_rows % PROGRESS_EVERY == 0:
                self.progress(self.total_rows)
            yield from convert_row(number, cells, self.columns, seen)


class MemberRowsStream(MemberFileStream):
    """A member list given as rows of cells (a header row first) rather than a file, e.g. the API's bulk
    sync: the same header matching, conversions and row problems as a file, numbered from line 1."""

    def __init__(self, rows: Sequence[Sequence[Any]], filename: str) -> None:
        super().__init__(Path(filename), filename)
        self.rows = rows

    def __iter__(self) -> Generator[MemberRow | RowProblem, None, None]:
        self.columns, self.ignored_columns, self.total_rows = {}, [], 0
        yield from self._parse(iter(enumerate(self.rows, 1)))


def xlsx_rows(path: Path) -> Generator[tuple[int, Sequence[Any]], None, None]:
    """(row number, values) of the first worksheet, numbered as Excel shows them."""
    # A file object: openpyxl refuses paths without an .xlsx suffix, as temporary uploads have.
    with path.open("rb") as handle:
        workbook = None
        try:
            # Workbooks written by other tools make openpyxl warn about styles it then supplies itself.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
                workbook = load_workbook(handle, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some writers record a wrong size, which would cut rows off
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        except XLSX_ERRORS as error:
            raise MemberFileError(_l("the file could not be read as an Excel workbook")) from error
        finally:
            if workbook is not None:
                workbook.close()


def csv_rows(path: Path) -> Generator[tuple[int, Sequence[Any]], None, None]:
    """(record number, values) of a UTF-8 CSV separated by commas, semicolons or tabs; a field that
    LearnHub's own export guarded against formulas ("'=...") reads as it was written."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            lines = bounded_lines(handle)
            head = list(itertools.islice(lines, HEADER_SEARCH_ROWS))
            reader = csv.reader(itertools.chain(head, lines), delimiter=sniff_delimiter(head))
            yield from enumerate(([csv_unescape(value) for value in record] for record in reader), start=1)
        except UnicodeDecodeError as error:
            message = _l("the file is not UTF-8: in Excel use 'Save as… CSV UTF-8'")
            raise MemberFileError(message) from error
        except csv.Error as error:
            raise MemberFileError(_l("the file could not be read as CSV")) from error


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter of the first line that splits into a full-name header, else a comma."""
    for line in lines:
        delimiter = max(",;\t", key=line.count)
        if is_header(next(csv.reader([line], delimiter=delimiter), [])):
            return delimiter
    return ","


def find_header(rows: Iterator[tuple[int, Sequence[Any]]]) -> tuple[int, Sequence[Any]] | None:
    """The first row within the first ten that has a full-name header; rows above it are titles."""
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        if is_header(values):
            return number, values
    return None


def is_header(values: Sequence[Any]) -> bool:
    return any(HEADERS.get(header_key(text(value))) == "full_name" for value in values)


def convert_row(
    number: int, cells: dict[str, Any], columns: dict[str, str], seen: dict[str, dict[str, int]]
) -> list[MemberRow] | list[RowProblem]:
    """The row as a MemberRow, or its problems ordered by column."""
    values: dict[str, Any] = {"category": Category.party_member}
    problems: list[RowProblem] = []
    for name, value in cells.items():
        try:
            values[name] = CONVERTERS[name](value)
        except Invalid as invalid:
            problems.append(RowProblem(number, columns[name], invalid.args[0]))
    for name, earlier in seen.items():
        if values.get(name) is not None:
            first = earlier.setdefault(values[name].casefold(), number)
            if first != number:
                problems.append(RowProblem(number, columns[name], duplicate(name, first)))
    if problems:
        return sorted(problems, key=lambda problem: problem.column or "")
    fields: dict[str, Any] = {name: values.get(name) for name in FIELDS}
    return [MemberRow(row=number, **fields)]


def duplicate(name: str, first: int) -> str:
    if name == "username":
        return _l("the same username is already on row %(row)d", row=first)
    return _l("the same party card number is already on row %(row)d", row=first)


def header_key(value: str) -> str:
    """A header without diacritics, case, '(…)' or punctuation: "Họ và tên (*):" -> "ho va ten"."""
    folded = re.sub(r"\(.*?\)", " ", fold(value))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def text(value: Any) -> str:
    """Any cell as NFC text with whitespace collapsed and control characters dropped (no file or
    page can show them, and .xlsx and .docx writers refuse them); Excel's 12.0 reads as "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(CONTROL_RE.sub(" ", unicodedata.normalize("NFC", str(value))).split())


def optional_text(value: Any) -> str | None:
    return text(value) or None


def to_full_name(value: Any) -> str:
    name = text(value)
    if not name:
        raise Invalid(_l("the full name is required"))
    if len(name) > MAX_NAME_LENGTH:
        raise Invalid(_l("the full name is longer than %(max)d characters", max=MAX_NAME_LENGTH))
    return name


def to_category(value: Any) -> Category:
    key = fold(text(value))
    if not key:
        raise Invalid(_l("the category is required"))
    if key in CATEGORIES:
        return CATEGORIES[key]
    if "cong chuc" in key or "vien chuc" in key:
        return Category.civil_servant
    raise Invalid(
        _l("not a category: use 'Đảng viên', 'Cán bộ, công chức, viên chức' or 'Quần chúng'")
    )


def to_birth_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        if not text(value):
            return None
        value = parse_date(value)
    if value > date.today():
        raise Invalid(_l("the birth date is in the future"))
    if value.year < 1900:
        raise Invalid(_l("the birth date is before 1900"))
    return value


def parse_date(value: Any) -> date:
    """dd/mm/yyyy (or '-' or '.') or yyyy-mm-dd text; numbers such as Excel serials are refused."""
    raw = text(value) if isinstance(value, str) else ""
    try:
        if match := DMY_RE.fullmatch(raw):
            return date(int(match[4]), int(match[3]), int(match[1]))
        if match := YMD_RE.fullmatch(raw):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise Invalid(_l("not a date: use dd/mm/yyyy"))


def to_gender(value: Any) -> Gender | None:
    key = fold(text(value))
    if not key:
        return None
    if key not in GENDERS:
        raise Invalid(_l("not a gender: use Nam or Nữ"))
    return GENDERS[key]


def to_phone(value: Any) -> str | None:
    """A Vietnamese mobile number, stored as +84xxxxxxxxx (learnhub.phones): reminders go to it."""
    if isinstance(value, float) and not value.is_integer():
        raise Invalid(NOT_A_MOBILE)
    raw = text(value)
    if isinstance(value, int | float) and len(raw) == 9 and raw.isdigit():
        raw = "0" + raw  # Excel stored the number as a number and dropped its leading zero
    if not raw:
        return None
    try:
        return normalise_phone(raw)
    except NotAMobile:
        raise Invalid(NOT_A_MOBILE) from None


def to_email(value: Any) -> str | None:
    email = text(value).lower()
    if email and not EMAIL_RE.match(email):
        raise Invalid(_l("not an email address"))
    return email or None


def to_username(value: Any) -> str | None:
    username = text(value).lower()
    if username and not USERNAME_RE.match(username):
        raise Invalid(_l("not a username: use 3 to 80 of a-z, 0-9, '.', '_' and '-'"))
    return username or None


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "full_name": to_full_name,
    "unit": optional_text,
    "category": to_category,
    "birth_date": to_birth_date,
    "gender": to_gender,
    "phone": to_phone,
    "email": to_email,
    "username": to_username,
    "party_card": optional_text,
}
