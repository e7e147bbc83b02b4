"""Numbers as the vendors write them, made E.164 as the manifests write them."""

from __future__ import annotations

import pytest

from reconciler.wire import numbers


@pytest.mark.parametrize(
    ("country", "national", "e164"),
    [
        ("1", "2025550101", "+12025550101"),  # digits: their concatenation
        ("44", "2079460000", "+442079460000"),
        ("44", "020 7946 0000", "+442079460000"),  # a trunk prefix and spaces: parsed
        ("1", "(202) 555-0101", "+12025550101"),
    ],
)
def test_the_inventorys_parts_become_e164(country: str, national: str, e164: str) -> None:
    assert numbers.from_parts(country, national) == e164


@pytest.mark.parametrize(
    ("did", "e164"),
    [
        ("2025550101", "+12025550101"),  # ten digits: a +1 national number
        ("+12025550101", "+12025550101"),
        ("442079460000", "+442079460000"),  # otherwise international digits
    ],
)
def test_a_did_as_the_carrier_holds_it_becomes_e164(did: str, e164: str) -> None:
    assert numbers.from_did(did) == e164


def test_recipients_are_digits_without_the_plus() -> None:
    assert numbers.to_digits("+12025550101") == "12025550101"
