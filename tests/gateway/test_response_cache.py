"""The cache store: bounded by bytes, least recently used out first, per-entry TTL,
single flight."""

from __future__ import annotations

import asyncio

from gateway.providers.usage import Usage
from gateway.response_cache import CachedResponse, MemoryResponseCache, SingleFlight


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def entry(size: int, ttl: float = 60.0) -> CachedResponse:
    return CachedResponse(200, (("Content-Type", "application/json"),), b"x" * size, False, Usage(), ttl)


async def test_bounded_by_bytes_evicting_the_least_recently_used() -> None:
    cache = MemoryResponseCache(max_bytes=10_000, max_entry=5_000)
    for name in "abc":
        assert await cache.put(name, entry(2_500))
    assert await cache.get("a") is not None  # "a" is now the most recently used
    await cache.put("d", entry(2_500))
    assert await cache.get("b") is None
    assert await cache.get("a") is not None and await cache.get("d") is not None
    assert cache.bytes_used <= 10_000


async def test_an_entry_over_the_limit_is_not_stored() -> None:
    cache = MemoryResponseCache(max_bytes=100_000, max_entry=1_000)
    assert not await cache.put("big", entry(2_000))
    assert await cache.get("big") is None


async def test_each_entry_expires_after_its_own_ttl() -> None:
    clock = Clock()
    cache = MemoryResponseCache(max_bytes=100_000, max_entry=10_000, clock=clock)
    await cache.put("short", entry(10, ttl=5))
    await cache.put("long", entry(10, ttl=50))
    clock.now = 10
    assert await cache.get("short") is None
    assert await cache.get("long") is not None


async def test_single_flight_hands_the_leaders_result_to_followers() -> None:
    flight = SingleFlight()
    assert flight.leader("k") is None  # the first caller leads
    followers = [flight.leader("k") for _ in range(3)]
    assert all(f is not None for f in followers)
    result = entry(10)
    flight.finish("k", result)
    assert await asyncio.gather(*followers) == [result] * 3  # type: ignore[arg-type]
    assert flight.leader("k") is None  # a later miss leads again


async def test_a_leader_with_nothing_cacheable_releases_followers_empty_handed() -> None:
    flight = SingleFlight()
    flight.leader("k")
    follower = flight.leader("k")
    assert follower is not None
    flight.finish("k", None)
    assert await follower is None
