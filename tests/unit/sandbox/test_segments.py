from __future__ import annotations

import pytest

from reconciler.sandbox import segments


@pytest.mark.parametrize(
    ("message", "encoding", "count"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters cost two
        ("€" * 81, "GSM-7", 2),
        ("a" * 152 + "€" + "a" * 10, "GSM-7", 2),  # the escape pair is never split
        ("a" * 152 + "{", "GSM-7", 1),
        ("é" * 160, "GSM-7", 1),
        ("ж" * 67, "UCS-2", 1),  # Connectel: 67 in one segment, not 70
        ("ж" * 68, "UCS-2", 2),
        ("ж" * 70, "UCS-2", 2),
        ("ж" * 134, "UCS-2", 2),
        ("ж" * 135, "UCS-2", 3),
        ("a" * 66 + "ж", "UCS-2", 1),  # one non-GSM character makes the whole message UCS-2
        ("a" * 67 + "ж", "UCS-2", 2),
        ("😀" * 33 + "a", "UCS-2", 1),  # outside the BMP: two units each (67 units)
        ("😀" * 34, "UCS-2", 2),  # 68 units
        ("😀" * 67, "UCS-2", 3),  # 134 units, but a pair never straddles 67: 33 + 33 + 1
        ("ж" * 65 + "😀", "UCS-2", 1),  # exactly 67 units
        ("ж" * 66 + "😀", "UCS-2", 2),  # 68 units; the emoji starts segment 2
    ],
)
def test_encoding_and_segments(message: str, encoding: str, count: int) -> None:
    assert segments.encoding(message) == encoding
    assert segments.count(message) == count


def test_a_surrogate_pair_is_never_split() -> None:
    # 66 units then an emoji (2 units) would straddle the 67-unit boundary of segment one.
    assert segments.count("ж" * 66 + "😀" + "ж" * 10) == 2
    assert segments.count("ж" * 66 + "😀" + "ж" * 67) == 3
