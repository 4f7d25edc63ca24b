import os
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.harness import Stack, running_stack
from tests.redis_server import find_redis_server, running_redis


@pytest.fixture
async def stack() -> AsyncIterator[Stack]:
    async with running_stack() as running:
        yield running


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """One redis-server for the whole run; tests keep apart by key prefix."""
    binary = find_redis_server()
    if binary is None:
        reason = "no redis-server: run scripts/install-redis.sh (make test does), or put one on PATH"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " — CI must run the shared-state tests, not skip them")
        pytest.skip(reason)
    with running_redis(binary) as url:
        yield url
