"""Property-based fuzzing: updates of every kind, malformed and forged, through the real bot.

Each Hypothesis example is one update against one running bot, so state builds up as it would in a clinic;
after each, `tests/fuzz_world.py` checks that nothing failed, that no patient's rows changed by someone else's
hand, that each patient's journal holds only their own words, and that nothing about the silent victim reached
anyone but the staff. The normal suite runs a few hundred updates; `pytest -m slow` runs ten thousand.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from bot.local import LocalBot
from storage.models import CrisisAlert
from tests.factories import add_staff, enrol, eventually
from tests.fuzz_world import World, build_world, errors_logged
from tests.update_strategies import STEP, Step

PATIENT, STRANGER, STAFF = 8201, 8202, 8203
STAFF_CHAT = -1001234567890
QUICK_UPDATES = 300
FULL_UPDATES = 10_000
# One bot for all examples is the point (state builds up), so Hypothesis must not insist on fresh fixtures.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@pytest.fixture
async def world(bot: LocalBot) -> AsyncIterator[World]:
    with errors_logged() as errors:
        world = await build_world(bot, errors)
        started = time.perf_counter()
        yield world
        elapsed = time.perf_counter() - started
        print(f"\n{world.updates} fuzzed updates in {elapsed:.1f}s ({world.updates / max(elapsed, 1e-9):.0f}/s)")


@pytest.fixture
def full_run(request: pytest.FixtureRequest) -> None:
    if "slow" not in (request.config.option.markexpr or ""):
        pytest.skip("ten thousand updates: run with `pytest -m slow`")


@settings(FUZZ, max_examples=QUICK_UPDATES)
@given(step=STEP)
async def test_fuzzed_updates_fail_nothing_and_keep_patients_apart(world: World, step: Step) -> None:
    await world.run(step)


@pytest.mark.slow
@settings(FUZZ, max_examples=FULL_UPDATES)
@given(step=STEP)
async def test_ten_thousand_fuzzed_updates(full_run: None, world: World, step: Step) -> None:
    await world.run(step)


# What the fuzzing found, kept as plain examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "args", "usage"),
    [
        ("export", "²", "Use /export PATIENT_ID"),  # passes str.isdigit, and int() refuses it
        ("export", "2147483648 csv", "Use /export PATIENT_ID"),  # PostgreSQL refuses it for an INTEGER column
        ("appointments", "²", "Use /appointments PATIENT_ID"),
        ("appointments", "99999999999", "Use /appointments PATIENT_ID"),
        ("appointments", "9" * 5000, "Use /appointments PATIENT_ID"),  # int() refuses more than 4,300 digits
    ],
)
async def test_staff_commands_with_ids_no_row_can_have_get_the_usage(
    bot: LocalBot, command: str, args: str, usage: str
) -> None:
    await add_staff(bot, STAFF)
    with errors_logged() as errors:
        await bot.standin.send_command(STAFF, command, args)
        [reply] = await bot.standin.wait_for_messages(STAFF, 1)
    assert reply.text.startswith(usage)
    assert not errors.records, errors.describe()


@pytest.mark.parametrize("data", ["ci:999999999999:3", "ack:2147483648", "er:99999999999:y", "qa:2147483648:1:0"])
async def test_a_press_with_an_id_no_row_can_have_is_stale(bot: LocalBot, data: str) -> None:
    await enrol(bot, PATIENT)
    with errors_logged() as errors:
        query = await bot.standin.press_button(PATIENT, 1, data)
        answer = await bot.standin.wait_for_answer(query)
    assert answer["text"] == "This button no longer works."
    assert not errors.records, errors.describe()


async def test_a_stranger_whose_name_holds_a_nul_is_alerted_and_recorded(bot: LocalBot) -> None:
    with errors_logged() as errors:
        await bot.standin.send_text(STRANGER, "I want to kill myself", first_name="Jo\x00hn")
        await bot.standin.wait_for(lambda: any("Crisis alert" in (m.text or "") for m in bot.standin.sent(STAFF_CHAT)))

        async def recorded() -> bool:
            async with bot.runtime.session() as session:
                return [a.person for a in await session.scalars(select(CrisisAlert))] == [
                    f"Not enrolled: John (Telegram id {STRANGER})"
                ]

        await eventually(recorded)
    assert not errors.records, errors.describe()
