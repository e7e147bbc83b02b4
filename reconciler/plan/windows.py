"""Change windows (`spec.policy.changeWindows`): whether an enterprise may be changed at a
given moment, and when it next may. Each window opens on its `days` at `from`, local time
in its IANA `timezone` (the zoneinfo database: daylight saving is the database's
business), and closes at `to` the same day, or the next day when `to` is at or before
`from`. Pure: the moment is given."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Iterator

from reconciler.model import types
from reconciler.model.kinds import ChangeWindow

UTC = datetime.UTC


def _clock(text: str) -> tuple[int, int]:
    hours, minutes = text.split(":")
    return int(hours), int(minutes)


def _at(day: datetime.date, clock: str, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The moment `clock` local time on `day` ("24:00": the next midnight)."""
    hours, minutes = _clock(clock)
    if hours == 24:
        day, hours = day + datetime.timedelta(days=1), 0
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=zone)


def spans(
    window: ChangeWindow, around: datetime.datetime, days: int = 8
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """Each (opening, closing) of `window` that starts from the day before `around` (its
    local date) on, for `days` days, in order."""
    zone = zoneinfo.ZoneInfo(window.timezone)
    today = around.astimezone(zone).date()
    for offset in range(-1, days):
        day = today + datetime.timedelta(days=offset)
        if types.DAYS[day.weekday()] not in window.days:
            continue
        opens = _at(day, window.start, zone)
        closes = _at(day, window.end, zone)
        if closes <= opens:  # past midnight
            closes = _at(day + datetime.timedelta(days=1), window.end, zone)
        yield opens, closes


def is_open(windows: Iterable[ChangeWindow], now: float) -> bool:
    """Whether `now` (epoch seconds) is inside any of `windows`."""
    moment = datetime.datetime.fromtimestamp(now, UTC)
    return any(
        opens <= moment < closes for window in windows for opens, closes in spans(window, moment)
    )


def next_opening(windows: Iterable[ChangeWindow], now: float) -> datetime.datetime | None:
    """The first opening of any window after `now`, in that window's time zone."""
    moment = datetime.datetime.fromtimestamp(now, UTC)
    openings = [opens for window in windows for opens, _ in spans(window, moment) if opens > moment]
    return min(openings, default=None)


def held(windows: tuple[ChangeWindow, ...], now: float) -> str:
    """Why an enterprise's changes wait (empty when a window is open or there is none)."""
    if not windows or is_open(windows, now):
        return ""
    opening = next_opening(windows, now)
    if opening is None:  # every window names a day: one opens within a week
        return "outside its change windows"
    local = opening.strftime("%a %Y-%m-%d %H:%M ") + str(opening.tzinfo)
    utc = opening.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if opening.utcoffset() == datetime.timedelta(0) and local.endswith(("UTC", "Etc/UTC")):
        return f"outside its change window until {local}"
    return f"outside its change window until {local} ({utc})"
