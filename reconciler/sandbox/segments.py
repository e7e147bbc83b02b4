"""SMS encoding and segment count, as the Connectel gateway documents them.

GSM-7: 160 units in one segment, 153 per segment when split; the extension characters
^ { } \\ [ ~ ] | € cost two units. Anything outside GSM 03.38 makes the message UCS-2:
67 units in one segment and 67 per segment when split (Connectel's rule: "limited to 67
characters"; other gateways allow 70 in one); characters outside the BMP cost two. A
character is never split across segments.
"""

from __future__ import annotations

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


def encoding(message: str) -> str:
    """'GSM-7' when every character is in the GSM 03.38 tables, else 'UCS-2'."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in message):
        return "GSM-7"
    return "UCS-2"


def units(message: str) -> list[int]:
    """The cost of each character in the message's encoding."""
    if encoding(message) == "GSM-7":
        return [2 if c in GSM_EXTENSION else 1 for c in message]
    return [2 if ord(c) > 0xFFFF else 1 for c in message]


def count(message: str) -> int:
    """How many segments the message is sent as (at least one)."""
    costs = units(message)
    single, multi = (160, 153) if encoding(message) == "GSM-7" else (67, 67)
    if sum(costs) <= single:
        return 1
    segments, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            segments += 1
            used = 0
        used += cost
    return segments
