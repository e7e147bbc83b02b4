"""Connectel on the wire: a test message as the gateway counts it, the sender and message
rules, the bulk send body and the answers (request ids, delivery reports). Pure.

GSM-7: 160 units in one segment, 153 per segment when split; ^ { } \\ [ ~ ] | € cost two.
Any other character makes the message UCS-2: 67 in one segment and 67 per segment
(Connectel's seed: "limited to 67 characters"; other gateways allow 70 in one);
characters outside the BMP cost two. A character is never split across segments.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reconciler.wire.endpoints import Answer

BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = frozenset("^{}\\[~]|€\f")
MAX_MESSAGE = 1600


@dataclasses.dataclass(frozen=True)
class Cost:
    encoding: str  # "GSM-7" or "UCS-2"
    segments: int


def cost(message: str) -> Cost:
    gsm = all(c in BASIC or c in EXTENSION for c in message)
    if gsm:
        units = [2 if c in EXTENSION else 1 for c in message]
        single, split = 160, 153
    else:
        units = [2 if ord(c) > 0xFFFF else 1 for c in message]
        single, split = 67, 67
    if sum(units) <= single:
        return Cost("GSM-7" if gsm else "UCS-2", 1)
    segments, used = 1, 0
    for unit in units:
        if used + unit > split:
            segments, used = segments + 1, 0
        used += unit
    return Cost("GSM-7" if gsm else "UCS-2", segments)


def sender_problem(sender: str) -> str | None:
    """Why Connectel would refuse this sender: numeric up to 20, alphanumeric up to 11."""
    if sender.isascii() and sender.isdigit():
        return None if len(sender) <= 20 else f"numeric sender {sender!r} is longer than 20 digits"
    if not sender or not all(c.isascii() and (c.isalnum() or c == " ") for c in sender):
        return f"sender {sender!r} must be letters and digits (at most 11) or digits (at most 20)"
    if len(sender) > 11:
        return f"alphanumeric sender {sender!r} is longer than 11 characters"
    return None


def message_problem(message: str) -> str | None:
    if not message:
        return "the message is empty"
    if len(message) > MAX_MESSAGE:
        return f"the message has {len(message)} characters; Connectel takes at most {MAX_MESSAGE}"
    return None


ANSWERS: dict[str, Answer] = {
    "send": Answer("object", ("bulkid",)),
    "delivery": Answer("object"),
    "inbox": Answer("list"),
}

FINAL = frozenset({1, 2, 5, 8, 9})  # statusInt values after which nothing changes


def without_href(answer: Any) -> Any:
    """A send answer without its `href`: the gateway puts our token in that link
    (`?authorization=<token>&message=...`), so it is dropped the moment it arrives and
    is never printed, logged or stored. Delivery is asked with the request id instead."""
    if isinstance(answer, dict):
        return {key: value for key, value in answer.items() if key != "href"}
    return answer


def send_body(token: str, sender: str, recipients: dict[str, str], message: str) -> dict[str, Any]:
    """One bulk request; `recipients` maps a key to digits without '+'."""
    return {
        "authorization": token,
        "sender": sender,
        "bulk": True,
        "recipient": [{key: number} for key, number in recipients.items()],
        "message": message,
    }


def request_ids(answer: Any) -> tuple[str, dict[str, str]]:
    """A bulk send's answer: its bulk id, and each recipient key's request id."""
    return str(answer["bulkid"]), {item["key"]: item["requestid"] for item in answer["recipient"]}


def final_status(item: Any) -> tuple[str, str] | None:
    """(request id, status text) of a delivery report entry or DLR that is final, else None."""
    if item.get("statusInt") in FINAL and item.get("requestid"):
        return str(item["requestid"]), str(item.get("statusStr"))
    return None


def report_items(report: Any) -> list[dict[str, Any]]:
    """The recipients of a delivery report."""
    return list((report or {}).get("recipient", []))
