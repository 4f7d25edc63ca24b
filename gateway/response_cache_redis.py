"""``RedisResponseCache``: the exact cache shared by every gateway on one Redis, for
``[state] backend = "redis"``. An answer stored by one process is a hit on all of them.

An entry is one string key, ``{key_prefix}cache:{cache key}``, written with
``SET … PX ttl`` so Redis expires it. Its value is compact: a format byte, the length
of a small JSON header (status, headers, streamed, usage, ttl), that header, then the
body's bytes as they are. Entries larger than ``[cache] max_entry`` are not stored.

Bounds. ``[cache] max_bytes`` bounds the in-process store only; in Redis the total is
bounded by Redis itself: give it ``maxmemory`` and ``maxmemory-policy volatile-lru``
(every key Weir writes has a TTL). Under memory pressure that policy may also evict
rate-limit windows, which then forget what they counted; where limits must stay exact
when the cache fills memory, point the cache at its own Redis instance.

Single flight stays per process (``response_cache.SingleFlight``): identical misses
arriving at N gateways at once cost at most N upstream calls, not one. A cross-process
lock would make every miss wait on a Redis round trip and on another process's health.

Redis failures never fail a request here: a read that fails is a miss, a write that
fails is skipped; each is logged and counted (``weir_redis_failures_total``).
"""

from __future__ import annotations

import orjson
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from gateway.providers.usage import Usage
from gateway.response_cache import CachedResponse, SingleFlight, entry_size
from gateway.state_redis import RedisHealth

_FORMAT = b"\x01"
_HEADER_LENGTH = 4  # bytes, big-endian


class RedisResponseCache:
    def __init__(self, client: aioredis.Redis, key_prefix: str, max_entry: int, health: RedisHealth) -> None:
        self.max_entry = max_entry
        self.flight = SingleFlight()
        self.hits = 0
        self.misses = 0
        self.stored = 0
        self._client = client
        self._prefix = key_prefix + "cache:"
        self._health = health

    async def get(self, key: str) -> CachedResponse | None:
        try:
            value = await self._client.get(self._prefix + key)
        except RedisError as error:
            self._health.failed("cache get", error, "the cache answers nothing until it answers (every request misses)")
            return None
        self._health.succeeded()
        entry = decode(value) if isinstance(value, bytes) else None  # the client decodes nothing
        if entry is not None:
            self.hits += 1
        return entry

    async def put(self, key: str, entry: CachedResponse) -> bool:
        if entry_size(entry) > self.max_entry:
            return False
        try:
            await self._client.set(self._prefix + key, encode(entry), px=max(1, round(entry.ttl * 1000)))
        except RedisError as error:
            self._health.failed("cache put", error, "answers are not stored until it answers")
            return True
        self._health.succeeded()
        self.stored += 1
        return True


def encode(entry: CachedResponse) -> bytes:
    header = orjson.dumps([entry.status, entry.headers, entry.streamed, list(entry.usage), entry.ttl])
    return _FORMAT + len(header).to_bytes(_HEADER_LENGTH, "big") + header + entry.body


def decode(value: bytes) -> CachedResponse | None:
    """The entry ``encode`` wrote; None for anything else (another format, a damaged value)."""
    if not value.startswith(_FORMAT):
        return None
    start = len(_FORMAT) + _HEADER_LENGTH
    end = start + int.from_bytes(value[len(_FORMAT) : start], "big")
    try:
        status, headers, streamed, usage, ttl = orjson.loads(value[start:end])
        return CachedResponse(
            int(status),
            tuple((str(name), str(text)) for name, text in headers),
            value[end:],
            bool(streamed),
            Usage(*usage),
            float(ttl),
        )
    except (orjson.JSONDecodeError, TypeError, ValueError):
        return None
