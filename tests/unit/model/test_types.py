from __future__ import annotations

import random

import email_validator
import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.model import kinds, types


def user(**fields: object) -> kinds.SmsUser:
    return kinds.SmsUser.model_validate({"userId": "a@x.com", **fields})


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("2025550143", "'2025550143' is not an E.164 number"),
        ("+1 202 555 0143", "not in canonical E.164 form: write '+12025550143'"),
        ("+15555550101", "'+15555550101' is not a valid phone number for country code +1"),
        ("+", "'+' is not a phone number"),
        (12025550101, "YAML read this unquoted number as the integer 12025550101"),
        (None, "expected a phone number as a quoted string, got nothing (null)"),
    ],
)
def test_bad_numbers(number: object, message: str) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        user(numbers=[number])
    assert message in info.value.errors()[0]["msg"]


@pytest.mark.parametrize("number", ["+12025550143", "+442079460000", "+4915123456789"])
def test_good_numbers(number: str) -> None:
    assert user(numbers=[number]).numbers == (number,)


def test_models_are_frozen_and_forbid_extra() -> None:
    value = user()
    with pytest.raises(pydantic.ValidationError):
        value.userTag = "x"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError, match="Extra inputs"):
        user(nickname="al")


def test_emails() -> None:
    assert user(email="Alice.Smith@Example.com").email == "Alice.Smith@Example.com"
    with pytest.raises(pydantic.ValidationError, match="is not a valid email address"):
        user(userId="alice")


def test_identity() -> None:
    assert user().identity == "a@x.com"
    group = kinds.SmsGroup(name="G", owner="a@x.com")
    assert group.identity == "G"
    mapping = kinds.Mapping(phoneNumber="+12025550110", messagingAppId="19:x", name="X")
    assert mapping.identity == "+12025550110"


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(r"[A-Za-z0-9_+.-]{1,12}@[A-Za-z0-9.-]{1,20}\.[A-Za-z]{2,6}", fullmatch=True)
    | st.emails()
    | st.text(max_size=30)
)
def test_email_verdict_is_email_validators(address: str) -> None:
    try:
        email_validator.validate_email(address, check_deliverability=False)
        accepted = True
    except email_validator.EmailNotValidError:
        accepted = False
    assert (types.email_problem(address) is None) == accepted


@pytest.mark.parametrize("address", ["a@b.test", "x@localhost.invalid", "a..b@x.com", "a@-x.com"])
def test_email_fast_path_edge_cases(address: str) -> None:
    assert types.email_problem(address) is not None


def test_the_fast_path_leaves_every_special_use_domain_to_email_validator() -> None:
    for domain in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        assert domain.rsplit(".", 1)[-1] in types.SPECIAL_USE_TLDS, domain
        assert types.email_problem(f"someone@mail.{domain}") is not None


def test_the_nanp_fast_path_agrees_with_phonenumbers() -> None:
    draw = random.Random(12)
    numbers = [f"+1{draw.randrange(2_000_000_000, 10_000_000_000)}" for _ in range(20_000)]
    numbers += [f"+1202555{n:04d}" for n in range(0, 10_000, 7)]
    numbers += ["+18005550100", "+19005550100", "+14165550100", "+12125550000"]
    for number in numbers:
        assert types.e164_problem.__wrapped__(number) == types._full_check(number), number
