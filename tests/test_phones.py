"""Vietnamese mobile numbers: accepted forms, stored as +84..."""
from __future__ import annotations

import pytest

from learnhub.phones import NotAMobile, mobile_or_none, normalise_phone


@pytest.mark.parametrize("raw", ["0912345678", "+84912345678", "84912345678", "0912 345 678", "091.234.5678",
                                 "(+84) 912-345-678", "０９１２３４５６７８", "＋８４ ９１２ ３４５ ６７８"])
def test_mobile_forms_are_stored_alike(raw: str) -> None:
    assert normalise_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["", "12345", "091234567", "09123456789", "0123456789", "02838123456",
                                 "+1 912345678", "0912345678 (nhà)", "+840912345678",
                                 "٠٩١٢٣٤٥٦٧٨", "०९१२३४५६७८", "09123456７８\u200b"])
def test_other_numbers_are_refused(raw: str) -> None:
    with pytest.raises(NotAMobile):
        normalise_phone(raw)


def test_numbers_stored_before_the_rule_are_read_when_they_are_mobiles() -> None:
    assert (mobile_or_none("0987654321"), mobile_or_none("02838123456"), mobile_or_none(None)) == (
        "+84987654321", None, None)
