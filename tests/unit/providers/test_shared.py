"""SharedReads: a read that begins after each caller asked, shared by those who asked
before it began; one in flight and one waiting at most."""

from __future__ import annotations

import asyncio

from reconciler.providers.shared import SharedReads


def test_callers_who_ask_while_a_read_runs_share_the_next_one() -> None:
    began: list[int] = []
    answered: list[int] = []

    async def main() -> list[int]:
        shared = SharedReads()
        gate = asyncio.Event()

        async def fetch() -> int:
            began.append(len(answered))  # how many callers had asked when it began
            number = len(began)
            await gate.wait()
            return number

        async def caller() -> int:
            answered.append(0)
            return int(await shared.after_now("listing", fetch))

        first = asyncio.create_task(caller())
        await asyncio.sleep(0.01)  # the first read is under way
        others = [asyncio.create_task(caller()) for _ in range(5)]
        await asyncio.sleep(0.01)
        gate.set()
        return [await first, *[await t for t in others]]

    # the first read began before the five asked: they share a second one, not five
    assert asyncio.run(main()) == [1, 2, 2, 2, 2, 2]
    assert began == [1, 6]


def test_a_failed_read_is_each_callers_and_the_next_one_is_read_again() -> None:
    calls: list[str] = []

    async def main() -> str:
        shared = SharedReads()

        async def failing() -> str:
            calls.append("fail")
            raise ValueError("down")

        async def working() -> str:
            calls.append("ok")
            return "rows"

        results = await asyncio.gather(
            shared.after_now("k", failing), shared.after_now("k", failing), return_exceptions=True
        )
        assert [type(r) for r in results] == [ValueError, ValueError]
        return str(await shared.after_now("k", working))

    assert asyncio.run(main()) == "rows"
    assert calls == ["fail", "ok"]


def test_keys_are_read_apart() -> None:
    async def main() -> list[str]:
        shared = SharedReads()
        a = shared.after_now("a", lambda: asyncio.sleep(0, "A"))
        b = shared.after_now("b", lambda: asyncio.sleep(0, "B"))
        return list(await asyncio.gather(a, b))

    assert asyncio.run(main()) == ["A", "B"]
