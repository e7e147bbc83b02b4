"""`reconciler agent`'s own option values: intervals, the listening address, a shard."""

from __future__ import annotations

import click
import pytest

from reconciler import api
from reconciler.cli.agent import listen_address, shard_of
from reconciler.cli.options import duration


@pytest.mark.parametrize(
    ("given", "seconds"),
    [("2s", 2.0), ("90s", 90.0), ("3m", 180.0), ("1h30m", 5400.0), ("45", 45.0), ("1.5s", 1.5)],
)
def test_intervals(given: str, seconds: float) -> None:
    assert duration(None, None, given) == seconds  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("3x", "'3x' is not a duration: say e.g. 2s, 90s, 3m or 1h30m"),
        ("", "'' is not a duration: say e.g. 2s, 90s, 3m or 1h30m"),
        ("m3", "'m3' is not a duration: say e.g. 2s, 90s, 3m or 1h30m"),
        ("500ms", "'500ms' is under a second: say at least 1s"),
        ("0", "'0' is under a second: say at least 1s"),
    ],
)
def test_bad_intervals(given: str, message: str) -> None:
    with pytest.raises(click.BadParameter) as bad:
        duration(None, None, given)  # type: ignore[arg-type]
    assert bad.value.message == message


def test_listen_addresses() -> None:
    assert listen_address("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert listen_address("0.0.0.0:0") == ("0.0.0.0", 0)
    assert listen_address("[::1]:9000") == ("::1", 9000)
    for bad in ("8080", ":8080", "localhost:", "localhost:http", "127.0.0.1:70000"):
        with pytest.raises(api.UsageError) as wrong:
            listen_address(bad)
        assert str(wrong.value).startswith(
            f"Invalid value for --listen: {bad!r}: expected HOST:PORT"
        ), bad


def test_shards() -> None:
    assert shard_of(None) is None
    assert shard_of("2/4") == (2, 4)
    for bad in ("0/4", "5/4", "a/b", "2", "2/0"):
        with pytest.raises(api.UsageError) as wrong:
            shard_of(bad)
        assert str(wrong.value) == (
            f"Invalid value for --shard: {bad!r}: expected i/N with 1 <= i <= N, e.g. 2/4 (the second of four "
            "shards)"
        ), bad
