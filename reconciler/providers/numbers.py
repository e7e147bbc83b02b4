"""Numbers as the vendors write them <-> E.164 as manifests do (with phonenumbers)."""

from __future__ import annotations

import functools

import phonenumbers


@functools.lru_cache(maxsize=65536)
def from_parts(country_code: str, national: str) -> str:
    """('1', '2025550101') -> '+12025550101'."""
    parsed = phonenumbers.parse(f"+{country_code}{national}", None)
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


@functools.lru_cache(maxsize=65536)
def from_did(did: str) -> str:
    """A DID as the carrier holds it: the national number for +1, else international digits."""
    digits = did.lstrip("+")
    if len(digits) == 10:
        return from_parts("1", digits)
    parsed = phonenumbers.parse("+" + digits, None)
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


@functools.lru_cache(maxsize=65536)
def to_digits(e164: str) -> str:
    """'+12025550101' -> '12025550101' (Connectel recipients)."""
    return e164.lstrip("+")
