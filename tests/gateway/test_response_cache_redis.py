"""The Redis cache store: entries round-trip exactly, expire by their TTL in Redis, are
bounded per entry, and an unreachable or damaged store is a miss, never an error."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator

import pytest

from gateway.providers.usage import Usage
from gateway.response_cache import CachedResponse
from gateway.response_cache_redis import RedisResponseCache, decode, encode
from gateway.state_redis import RedisHealth, connect, describe

ENTRY = CachedResponse(
    200,
    (("Content-Type", "text/event-stream; charset=utf-8"), ("x-request-id", "req_1")),
    b'data: {"choices":[]}\n\ndata: [DONE]\n\n\xff\x00',  # any bytes, as the client got them
    True,
    Usage("gpt-4o-mini", 12, 5, 0, None, "stop", True),
    30.0,
)


@pytest.fixture
async def cache(redis_url: str) -> AsyncIterator[RedisResponseCache]:
    client = connect(redis_url)
    yield RedisResponseCache(client, f"test:{uuid.uuid4().hex[:12]}:", 10_000, RedisHealth(describe(client)))
    await client.aclose()


def test_an_entry_round_trips_exactly() -> None:
    assert decode(encode(ENTRY)) == ENTRY
    assert len(encode(ENTRY)) < len(ENTRY.body) + 200  # compact: the body is stored as it is


@pytest.mark.parametrize("damaged", [b"", b"\x02rest", b"\x01\x00\x00\x00\x05[1,2", b"\x01\x00\x00\x00\x02{}"])
def test_anything_else_decodes_to_nothing(damaged: bytes) -> None:
    assert decode(damaged) is None


async def test_an_entry_stored_is_read_back_until_its_ttl(cache: RedisResponseCache) -> None:
    assert await cache.get("k") is None
    assert await cache.put("k", ENTRY)
    assert await cache.get("k") == ENTRY
    assert (cache.hits, cache.stored) == (1, 1)
    assert 29_000 < await cache._client.pttl(cache._prefix + "k") <= 30_000


async def test_an_entry_over_max_entry_is_not_stored(cache: RedisResponseCache) -> None:
    assert not await cache.put("big", ENTRY._replace(body=b"x" * 20_000))
    assert await cache.get("big") is None


async def test_an_unreachable_redis_is_a_miss_and_a_skipped_store() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = connect(f"redis://127.0.0.1:{port}/0")
    health = RedisHealth(describe(client))
    cache = RedisResponseCache(client, "p:", 10_000, health)
    assert await cache.get("k") is None
    assert await cache.put("k", ENTRY)  # cacheable: followers in this process may replay it
    assert health.failures == {"cache get": 1, "cache put": 1} and not health.up
    await client.aclose()
