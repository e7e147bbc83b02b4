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
        ("ж" * 70, "UCS-2", 1),
        ("ж" * 71, "UCS-2", 2),
        ("ж" * 134, "UCS-2", 2),
        ("ж" * 135, "UCS-2", 3),
        ("😀" * 35, "UCS-2", 1),  # outside the BMP: two units each
        ("😀" * 36, "UCS-2", 2),
        ("a" * 66 + "😀", "UCS-2", 1),
        ("ж" * 66 + "😀" + "ж" * 2, "UCS-2", 1),  # exactly 70 units
        ("ж" * 66 + "😀" + "ж" * 3, "UCS-2", 2),
    ],
)
def test_encoding_and_segments(message: str, encoding: str, count: int) -> None:
    assert segments.encoding(message) == encoding
    assert segments.count(message) == count


def test_a_surrogate_pair_is_never_split() -> None:
    # 66 units then an emoji (2 units) would straddle the 67-unit boundary of segment one.
    assert segments.count("ж" * 66 + "😀" + "ж" * 10) == 2
    assert segments.count("ж" * 66 + "😀" + "ж" * 67) == 3
