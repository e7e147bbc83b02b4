"""Fault injection per route pattern: latency (and a heavy tail of slow calls), errors, 429s,
token expiry, lost responses, late commits.

`PUT /_sandbox/faults` replaces the rules; each request to a vendor route takes the
first rule whose glob matches its full path.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import math
import pathlib
from typing import Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

Rate = Annotated[float, Field(ge=0, le=1)]
ErrorStatus = Literal[500, 502, 503, 504]


class FaultRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # "0.5" is no rate

    route: str = Field(description="glob on the full path, e.g. /connecttoteams/sms/*")
    latencyMs: Annotated[float, Field(ge=0, le=60000)] = 0
    slowRate: Rate = Field(default=0, description="share of requests that take slowMs more")
    slowMs: Annotated[float, Field(ge=0, le=60000)] = 0
    errorRate: Rate = 0
    errorStatus: ErrorStatus = 503
    rateLimitPerSecond: Annotated[float, Field(gt=0, le=100000)] | None = None
    dropAfterCommitRate: Rate = 0
    commitDelayMs: Annotated[float, Field(ge=0, le=600000)] = Field(
        default=0,
        description="run the handler (commit) this late and answer then, whether or not the "
        "client is still waiting: a vendor that commits after the client's timeout",
    )
    ackWithoutCommitRate: Rate = Field(
        default=0,
        description="share of requests answered 200 with an empty object without being "
        "carried out: a vendor that acknowledges a write and loses it",
    )
    htmlRate: Rate = Field(
        default=0,
        description="share of requests answered 200 text/html (a proxy's login page) "
        "without reaching the vendor",
    )
    expireTokens: bool = False


@dataclasses.dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclasses.dataclass
class ActiveRule:
    rule: FaultRule
    set_at: float
    token_watermark: int = 0  # tokens up to this sequence number count as expired
    bucket: _Bucket | None = None

    def take(self, now: float) -> float | None:
        """Consume one request from the rate limit; None if allowed, else Retry-After seconds."""
        rate = self.rule.rateLimitPerSecond
        if rate is None:
            return None
        if self.bucket is None:
            self.bucket = _Bucket(tokens=rate, updated=now)
        bucket = self.bucket
        bucket.tokens = min(rate, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return max(1.0, math.ceil((1 - bucket.tokens) / rate))


class Faults:
    def __init__(self) -> None:
        self.rules: list[ActiveRule] = []

    def set(self, rules: list[FaultRule], now: float, token_watermark: int = 0) -> None:
        self.rules = [ActiveRule(rule, now, token_watermark) for rule in rules]

    def match(self, path: str) -> ActiveRule | None:
        return next((r for r in self.rules if fnmatch.fnmatchcase(path, r.rule.route)), None)


def parse_rules(text: str | None) -> list[FaultRule]:
    """`--faults`: a JSON list of rules, or @FILE holding one; ValueError says what is wrong."""
    if not text:
        return []
    if text.startswith("@"):
        text = pathlib.Path(text[1:]).read_text(encoding="utf-8")
    try:
        return TypeAdapter(list[FaultRule]).validate_python(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise ValueError(f"not a list of fault rules: {exc}") from None


def flag_rule(
    route: str,
    latency: float,
    error_rate: float,
    status: str,
    rate: float | None,
    drop: float,
    slow_rate: float = 0,
    slow_ms: float = 0,
) -> FaultRule | None:
    """`sandbox serve`'s fault flags as one rule on `route`; None when none is set."""
    if not (latency or error_rate or rate or drop or slow_rate):
        return None
    return FaultRule(
        route=route,
        latencyMs=latency,
        slowRate=slow_rate,
        slowMs=slow_ms,
        errorRate=error_rate,
        errorStatus=cast(ErrorStatus, int(status)),  # click's Choice of those four
        rateLimitPerSecond=rate,
        dropAfterCommitRate=drop,
    )
