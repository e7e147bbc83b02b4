"""Field types with the domain's own validation and messages: E.164 numbers, emails, names.

Errors are raised as PydanticCustomError so that the message reaching the user is ours,
not pydantic's generic "Value error, ...".
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from typing import Annotated, Any, Literal

import phonenumbers
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
NAME_PATTERN = r"^[a-z0-9-]{1,63}$"
SERVICES = ("PBX", "SMS", "CALLAPP")

Service = Literal["PBX", "SMS", "CALLAPP"]


_NANP = re.compile(r"\+1([2-9][0-9]{9})")


@functools.cache
def _us_valid() -> re.Pattern[str]:
    """phonenumbers' own US metadata as one pattern: a 10-digit national number that
    matches the general description and any number type of the region is valid for it
    (what is_valid_number_for_region checks, without building a PhoneNumber)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("US")
    assert meta is not None and meta.general_desc is not None
    kinds = (
        meta.premium_rate,
        meta.toll_free,
        meta.shared_cost,
        meta.voip,
        meta.personal_number,
        meta.pager,
        meta.uan,
        meta.voicemail,
        meta.fixed_line,
        meta.mobile,
    )
    types = [
        f"(?:{d.national_number_pattern})"
        for d in kinds
        if d is not None
        and d.national_number_pattern
        and (not d.possible_length or 10 in d.possible_length)
    ]
    general = meta.general_desc.national_number_pattern
    return re.compile(f"(?=(?:{general})$)(?:{'|'.join(types)})$")


@functools.lru_cache(maxsize=65536)
def e164_problem(text: str) -> str | None:
    """Return None when `text` is canonical, valid E.164, else the problem description."""
    nanp = _NANP.fullmatch(text)
    if nanp and _us_valid().match(nanp.group(1)):
        return None  # the common case, decided without parsing (same answer: see tests)
    return _full_check(text)


def _full_check(text: str) -> str | None:
    if not text.startswith("+"):
        return (
            f"'{text}' is not an E.164 number: write '+', the country code and the number "
            "with no spaces (e.g. '+12025550143')"
        )
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        return f"'{text}' is not a phone number: {exc._msg}"
    canonical = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if canonical != text:
        return f"'{text}' is not in canonical E.164 form: write '{canonical}'"
    if not _is_valid(parsed):
        return (
            f"'{text}' is not a valid phone number for country code +{parsed.country_code} "
            "(fictional ranges such as +1 555 are invalid; use a real or +1 202 555 01xx number)"
        )
    return None


def _is_valid(parsed: phonenumbers.PhoneNumber) -> bool:
    """phonenumbers.is_valid_number, trying the country code's main region first.

    The full check looks the region up among every region sharing the code (about 25
    for +1) before validating; a number valid for the main region is valid, full stop.
    """
    main = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    if phonenumbers.is_valid_number_for_region(parsed, main):
        return True
    return bool(phonenumbers.is_valid_number(parsed))


def _e164(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PydanticCustomError(
            "e164", f"expected a phone number as a quoted string, got {_kind(value)}"
        )
    if isinstance(value, int):
        raise PydanticCustomError(
            "e164_unquoted",
            "phone numbers must be quoted strings: YAML read this unquoted number as the "
            f"integer {value}; write '\"+{value}\"'",
        )
    problem = e164_problem(value)
    if problem is not None:
        raise PydanticCustomError("e164", problem)
    return value


# A conservative subset of addresses that email-validator always accepts (ASCII dot-atom
# local part, LDH labels without IDNA's reserved `??--` start, alphabetic TLD): they skip
# its costly IDNA domain checks.
# Everything else, and every error message, comes from email-validator itself, imported
# only then (its import compiles patterns: 3% of a `validate`'s start-up).
_PLAIN_EMAIL = re.compile(
    r"(?=[^@]{1,64}@)[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
    r"@(?=.{1,253}$)(?:(?![A-Za-z0-9]{2}--)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}"
)


# The top-level domains under which email-validator refuses addresses (its
# SPECIAL_USE_DOMAIN_NAMES; a test checks that this holds each of theirs): those
# addresses are left to it.
SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


@functools.lru_cache(maxsize=65536)
def email_problem(text: str) -> str | None:
    if _PLAIN_EMAIL.fullmatch(text) and _tld(text) not in SPECIAL_USE_TLDS:
        return None
    import email_validator

    try:
        email_validator.validate_email(text, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        return f"'{text}' is not a valid email address: {exc}"
    return None


def _tld(address: str) -> str:
    return address.rsplit(".", 1)[1].lower()


def _email(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "email", f"expected an email address as a string, got {_kind(value)}"
        )
    problem = email_problem(value)
    if problem is not None:
        raise PydanticCustomError("email", problem)
    return value


def _name(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(NAME_PATTERN, value):
        raise PydanticCustomError(
            "name",
            f"{value!r} is not a valid name: use 1 to 63 lowercase letters, digits and '-'",
        )
    return value


def _service(value: Any) -> str:
    if value not in SERVICES:
        raise PydanticCustomError(
            "service",
            f"unknown service {value!r}: expected one of PBX, SMS, CALLAPP",
        )
    return str(value)


def _messaging_app_type(value: Any) -> str:
    if value != "Teams":
        raise PydanticCustomError(
            "messaging_app_type",
            "messagingAppType must be 'Teams' (the only messaging app ContextSMS maps numbers "
            f"to), got {value!r}",
        )
    return "Teams"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


E164 = Annotated[
    str,
    BeforeValidator(_e164),
    WithJsonSchema({"type": "string", "pattern": E164_PATTERN, "description": "E.164 number"}),
]
Email = Annotated[
    str,
    BeforeValidator(_email),
    WithJsonSchema({"type": "string", "format": "email"}),
]
Name = Annotated[
    str,
    BeforeValidator(_name),
    WithJsonSchema({"type": "string", "pattern": NAME_PATTERN}),
]
ServiceName = Annotated[
    Service,
    BeforeValidator(_service),
    WithJsonSchema({"type": "string", "enum": list(SERVICES)}),
]

MessagingAppType = Annotated[
    Literal["Teams"],
    BeforeValidator(_messaging_app_type),
    WithJsonSchema({"type": "string", "enum": ["Teams"]}),
]


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CLOCK_PATTERN = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"


def _day(value: Any) -> str:
    if value not in DAYS:
        raise PydanticCustomError(
            "day", f"unknown day {value!r}: expected one of {', '.join(DAYS)}"
        )
    return str(value)


def _clock(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(CLOCK_PATTERN, value):
        shown = f"{value!r}" if isinstance(value, str) else _kind(value)
        hint = (
            " (quote it: YAML reads 09:00 unquoted as a number)" if isinstance(value, int) else ""
        )
        raise PydanticCustomError(
            "clock", f'expected a time of day as "HH:MM" (00:00 to 24:00), got {shown}{hint}'
        )
    return value


def _timezone(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("timezone", f"expected an IANA time zone, got {_kind(value)}")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "timezone",
            f"unknown time zone {value!r}: use an IANA name such as America/New_York, "
            "Europe/Stockholm or UTC",
        ) from None
    return value


Day = Annotated[str, BeforeValidator(_day), WithJsonSchema({"type": "string", "enum": list(DAYS)})]
Clock = Annotated[
    str, BeforeValidator(_clock), WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN})
]
TimeZone = Annotated[
    str,
    BeforeValidator(_timezone),
    WithJsonSchema({"type": "string", "description": "An IANA time zone, e.g. Europe/Stockholm"}),
]


def describe_kind(value: Any) -> str:
    """'an integer', 'a list', ...: how error messages name the type the user wrote."""
    return _kind(value)
