from __future__ import annotations

import pytest

from reconciler.wire.connectel import Cost, cost, message_problem, sender_problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 160, Cost("GSM-7", 1)),
        ("a" * 161, Cost("GSM-7", 2)),
        ("a" * 306, Cost("GSM-7", 2)),
        ("a" * 307, Cost("GSM-7", 3)),
        ("{" * 80, Cost("GSM-7", 1)),  # extension characters cost two
        ("{" * 81, Cost("GSM-7", 2)),
        ("a" * 152 + "€" + "a" * 7, Cost("GSM-7", 2)),  # 161 units; the pair is not split at 153
        ("ñ" * 160, Cost("GSM-7", 1)),  # in the basic table
        ("ж" * 67, Cost("UCS-2", 1)),  # Connectel: 67 in one segment, not 70
        ("ж" * 68, Cost("UCS-2", 2)),
        ("ж" * 70, Cost("UCS-2", 2)),
        ("ж" * 134, Cost("UCS-2", 2)),
        ("ж" * 135, Cost("UCS-2", 3)),
        ("a" * 67 + "ж", Cost("UCS-2", 2)),  # one non-GSM character makes it all UCS-2
        ("🙂" * 33 + "a", Cost("UCS-2", 1)),  # outside the BMP: two units each (67 units)
        ("🙂" * 34, Cost("UCS-2", 2)),
        ("🙂" * 67, Cost("UCS-2", 3)),  # 134 units, but a pair never straddles 67
        ("a" * 65 + "🙂", Cost("UCS-2", 1)),  # exactly 67 units
        ("a" * 66 + "🙂", Cost("UCS-2", 2)),  # 68 units; the emoji starts segment 2
    ],
)
def test_cost(text: str, expected: Cost) -> None:
    assert cost(text) == expected


def test_sender_rules() -> None:
    assert sender_problem("Sunshine") is None
    assert sender_problem("ABCDEFGHIJK") is None
    assert sender_problem("1" * 20) is None
    assert (
        sender_problem("ABCDEFGHIJKL")
        == "alphanumeric sender 'ABCDEFGHIJKL' is longer than 11 characters"
    )
    assert sender_problem("1" * 21) == f"numeric sender '{'1' * 21}' is longer than 20 digits"
    assert (
        sender_problem("Bad!")
        == "sender 'Bad!' must be letters and digits (at most 11) or digits (at most 20)"
    )


def test_message_rules() -> None:
    assert message_problem("x" * 1600) is None
    assert (
        message_problem("x" * 1601)
        == "the message has 1601 characters; Connectel takes at most 1600"
    )
    assert message_problem("") == "the message is empty"
