"""A stream response that keeps a bounded copy of what it sent, so the cache can store
exactly the bytes a client received (and replay them as the same events)."""

from __future__ import annotations

from typing import Any

from aiohttp import web


class CapturingStreamResponse(web.StreamResponse):
    """A stream response that keeps a copy of what it sends, up to ``capture_limit`` bytes
    (past it, the copy is dropped: the response is too large to cache)."""

    def __init__(self, *, capture_limit: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.captured: list[bytes] | None = [] if capture_limit > 0 else None
        self._room = capture_limit

    async def write(self, data: bytes | bytearray | memoryview) -> None:
        if self.captured is not None:
            if len(data) <= self._room:
                self.captured.append(bytes(data))
                self._room -= len(data)
            else:
                self.captured = None
        await super().write(data)
