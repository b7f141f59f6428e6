"""Fixtures: a real emulator on 127.0.0.1 and a small GraphQL client over aiohttp."""

from collections.abc import AsyncIterator

import aiohttp
import pytest

from emulator.runner import Emulator, run_emulator
from tests.helpers.emulator_calls import TOKEN, Call, make_call


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with run_emulator(
        token=TOKEN, products=0, seed=1, bucket=1e6, restore_rate=1e5, media_delay=0
    ) as running:
        yield running


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def gql(emu: Emulator, session: aiohttp.ClientSession) -> Call:
    return make_call(emu, session)
