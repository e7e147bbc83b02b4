"""Numbers as the vendors write them <-> E.164 as manifests do (with phonenumbers)."""

from __future__ import annotations

import functools

import phonenumbers


def from_parts(country_code: str, national: str) -> str:
    """('1', '2025550101') -> '+12025550101'.

    The inventory gives the country code and the national significant number apart, so
    E.164 is their concatenation; anything else (spaces, a trunk prefix) goes through
    phonenumbers.
    """
    if country_code.isdigit() and national.isdigit() and not national.startswith("0"):
        return f"+{country_code}{national}"
    return _parse(f"+{country_code}{national}")


@functools.lru_cache(maxsize=65536)
def _parse(text: str) -> str:
    parsed = phonenumbers.parse(text, None)
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


@functools.lru_cache(maxsize=65536)
def from_did(did: str) -> str:
    """A DID as the carrier holds it: the national number for +1, else international digits."""
    digits = did.lstrip("+")
    if len(digits) == 10:
        return from_parts("1", digits)
    return _parse("+" + digits)


@functools.lru_cache(maxsize=65536)
def to_digits(e164: str) -> str:
    """'+12025550101' -> '12025550101' (Connectel recipients)."""
    return e164.lstrip("+")
