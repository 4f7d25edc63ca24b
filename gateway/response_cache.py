"""The exact-response cache: what a cached answer holds, the interface of a store, the
in-process store, and single flight for identical misses.

``MemoryResponseCache`` is one process's store, bounded by bytes, not count
(cachetools' ``TLRUCache`` with a size function: least recently used entries go first,
and each entry expires after its own TTL). ``RedisResponseCache``
(``response_cache_redis``) shares entries between processes; both are awaited the same
way, so the cache stage does not know which it has.

When several identical requests miss at once, the first *leads* — it goes upstream —
and the rest *follow*: they wait for its result and replay it, so fifty concurrent
misses cost one upstream call. A follower whose leader produced nothing cacheable (an
error, a cut stream) goes upstream itself. Single flight is per process, whichever the
store: across N processes at most N identical misses go upstream at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import NamedTuple, Protocol

from cachetools import TLRUCache

from gateway.providers.usage import Usage

_ENTRY_OVERHEAD = 512  # bytes per entry beyond the body: key, headers, bookkeeping


class CachedResponse(NamedTuple):
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # exactly the bytes the first client received
    streamed: bool
    usage: Usage
    ttl: float


def entry_size(entry: CachedResponse) -> int:
    """What an entry costs against ``max_entry`` and ``max_bytes``."""
    return len(entry.body) + sum(len(k) + len(v) for k, v in entry.headers) + _ENTRY_OVERHEAD


class SingleFlight:
    """Identical misses of one process share the leader's result."""

    def __init__(self) -> None:
        self._leaders: dict[str, asyncio.Future[CachedResponse | None]] = {}

    def leader(self, key: str) -> asyncio.Future[CachedResponse | None] | None:
        """None: the caller leads (and must call ``finish``); else the leader's future to await."""
        future = self._leaders.get(key)
        if future is not None:
            return future
        self._leaders[key] = asyncio.get_running_loop().create_future()
        return None

    def finish(self, key: str, entry: CachedResponse | None) -> None:
        future = self._leaders.pop(key, None)
        if future is not None and not future.done():
            future.set_result(entry)


class ResponseCache(Protocol):
    """A store of cached answers, with its process's single flight and counters."""

    max_entry: int  # bytes (``entry_size``); a larger answer is not stored
    flight: SingleFlight
    hits: int
    misses: int
    stored: int

    async def get(self, key: str) -> CachedResponse | None: ...

    async def put(self, key: str, entry: CachedResponse) -> bool:
        """False when ``entry`` is too large to cache. A store that could not be reached
        still says True: the answer was cacheable, and followers may replay it."""
        ...


class MemoryResponseCache:
    def __init__(self, max_bytes: int, max_entry: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entry = max_entry
        self._store: TLRUCache[str, CachedResponse] = TLRUCache(
            maxsize=max_bytes, ttu=lambda _key, entry, now: now + entry.ttl, timer=clock, getsizeof=entry_size
        )
        self.flight = SingleFlight()
        self.hits = 0
        self.misses = 0
        self.stored = 0

    async def get(self, key: str) -> CachedResponse | None:
        entry = self._store.get(key)
        if entry is not None:
            self.hits += 1
        return entry

    async def put(self, key: str, entry: CachedResponse) -> bool:
        if entry_size(entry) > min(self.max_entry, self._store.maxsize):
            return False
        self._store[key] = entry
        self.stored += 1
        return True

    @property
    def bytes_used(self) -> int:
        return int(self._store.currsize)

    def __len__(self) -> int:
        return len(self._store)
