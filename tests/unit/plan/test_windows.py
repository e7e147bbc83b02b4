"""Change windows against the zoneinfo database: open or not at a moment, the next
opening, past midnight, daylight saving, 24:00."""

from __future__ import annotations

import datetime

import pytest

from reconciler.model.kinds import ChangeWindow
from reconciler.plan import windows
from tests.unit.plan.builders import N, enterprise, found, plan, user


def window(days: list[str], start: str, end: str, zone: str) -> ChangeWindow:
    return ChangeWindow.model_validate({"days": days, "from": start, "to": end, "timezone": zone})


def at(text: str) -> float:
    """An ISO moment in UTC as epoch seconds."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC).timestamp()


WORKDAYS = window(["Mon", "Tue", "Wed", "Thu", "Fri"], "09:00", "17:00", "America/New_York")


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        ("2026-12-04T14:00", True),  # Fri 09:00 EST: opens
        ("2026-12-04T21:59", True),  # Fri 16:59 EST
        ("2026-12-04T22:00", False),  # Fri 17:00 EST: closed
        ("2026-12-05T15:00", False),  # Saturday
        ("2026-06-05T13:00", True),  # Fri 09:00 EDT (summer: UTC-4)
        ("2026-06-05T12:59", False),
    ],
)
def test_a_workday_window(moment: str, is_open: bool) -> None:
    assert windows.is_open([WORKDAYS], at(moment)) is is_open


def test_the_next_opening_and_why_changes_wait() -> None:
    friday_evening = at("2026-12-04T23:00")
    opening = windows.next_opening([WORKDAYS], friday_evening)
    assert opening is not None and opening.isoformat() == "2026-12-07T09:00:00-05:00"
    assert windows.held((WORKDAYS,), friday_evening) == (
        "outside its change window until Mon 2026-12-07 09:00 America/New_York "
        "(2026-12-07 14:00 UTC)"
    )
    assert windows.held((WORKDAYS,), at("2026-12-04T15:00")) == ""
    assert windows.held((), friday_evening) == ""  # no window: any time


def test_a_window_past_midnight_belongs_to_the_day_it_opens() -> None:
    night = window(["Sat"], "22:00", "06:00", "Europe/Stockholm")
    assert windows.is_open([night], at("2026-12-05T21:00"))  # Sat 22:00 CET
    assert windows.is_open([night], at("2026-12-06T04:59"))  # Sun 05:59 CET
    assert not windows.is_open([night], at("2026-12-06T05:00"))  # Sun 06:00
    assert not windows.is_open([night], at("2026-12-06T21:30"))  # Sun night: not a Sat


def test_daylight_saving_is_the_databases_business() -> None:
    spring = window(["Sun"], "01:00", "05:00", "America/New_York")  # 2026-03-08: 02:00 -> 03:00
    assert windows.is_open([spring], at("2026-03-08T06:30"))  # 01:30 EST
    assert windows.is_open([spring], at("2026-03-08T08:59"))  # 04:59 EDT
    assert not windows.is_open([spring], at("2026-03-08T09:00"))  # 05:00 EDT


def test_24_00_is_the_next_midnight_and_several_windows_are_any_of_them() -> None:
    late = window(["Fri"], "20:00", "24:00", "UTC")
    early = window(["Sun"], "06:00", "07:00", "Asia/Tokyo")
    assert windows.is_open([late], at("2026-12-04T23:59"))
    assert not windows.is_open([late], at("2026-12-05T00:00"))
    both = (late, early)
    assert windows.held(both, at("2026-12-05T12:00")) == (
        "outside its change window until Sun 2026-12-06 06:00 Asia/Tokyo (2026-12-05 21:00 UTC)"
    )


def test_the_planner_holds_an_enterprise_outside_its_windows_unless_told() -> None:
    before = enterprise(users=[user("a@x.com")])
    after = enterprise(users=[user("a@x.com", N[0])], changeWindows=(WORKDAYS,))
    friday_evening = at("2026-12-04T23:00")
    held = plan([after], [found(before)], now=friday_evening)
    [part] = held.enterprises
    assert part.heldBack.startswith("outside its change window until Mon 2026-12-07 09:00")
    assert (held.changes, held.summary.heldBack, held.summary.total) == ((), 1, 0)
    assert [c.id for c in part.changes] == ["acme/smsUser/a@x.com", "acme/sync/Unified App"]
    ignored = plan([after], [found(before)], now=friday_evening, ignore_windows=True)
    assert (len(ignored.changes), ignored.ignoredWindows, ignored.held) == (2, True, ())
    assert plan([after], [found(before)], now=at("2026-12-04T15:00")).held == ()
    assert plan([after], [found(before)]).held == ()  # no moment (drift): not looked at
    converged = before.model_copy(update={"policy": after.policy})
    assert plan([converged], [found(before)], now=friday_evening).held == ()  # nothing to hold
