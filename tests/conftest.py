from collections.abc import AsyncIterator

import pytest

from tests.harness import Stack, running_stack


@pytest.fixture
async def stack() -> AsyncIterator[Stack]:
    async with running_stack() as running:
        yield running
