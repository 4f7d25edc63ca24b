"""One request's journey through the stages: what each stage reads and leaves behind."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from aiohttp import web
from yarl import URL

from gateway.exchange import Exchange
from gateway.providers import Provider, Usage
from gateway.providers.family import Family


@dataclass(slots=True)
class Call:
    request: web.Request
    gateway: str
    provider: Provider
    endpoint: str
    error_family: Family  # whose error shape the caller speaks
    url: URL | None = None  # the upstream URL, once routed
    body: bytes = b""  # the request body as the client sent it (still encoded)
    started: float = field(default_factory=time.perf_counter)
    started_at: float = field(default_factory=time.time)
    status: int = 0
    ttfb: float | None = None
    streamed: bool = False
    response_body: bytes = b""
    response_encoding: str | None = None
    response_is_sse: bool = False
    usage: Usage = field(default_factory=Usage)
    error: str | None = None

    def mark_first_byte(self) -> None:
        self.ttfb = time.perf_counter() - self.started

    def to_exchange(self) -> Exchange:
        return Exchange(
            gateway=self.gateway,
            provider=self.provider.name,
            endpoint=self.endpoint,
            method=self.request.method,
            path=self.request.path,
            status=self.status,
            started_at=self.started_at,
            duration=time.perf_counter() - self.started,
            ttfb=self.ttfb,
            streamed=self.streamed,
            usage=self.usage,
            request_body=self.body,
            response_body=self.response_body,
            error=self.error,
        )
