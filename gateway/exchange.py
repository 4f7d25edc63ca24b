"""The record of one finished request, handed to every observer (metrics, logs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from gateway.providers.usage import Usage


class Exchange(NamedTuple):
    """Immutable; a NamedTuple rather than a frozen dataclass because one is built per
    request and frozen-dataclass construction costs ~5x more (measured)."""

    gateway: str
    provider: str
    endpoint: str  # "passthrough", "compat.chat", "compat.embeddings", "compat.messages"
    method: str
    path: str
    status: int
    started_at: float  # wall clock, seconds since the epoch
    duration: float  # seconds
    ttfb: float | None  # seconds until the first byte went to the client
    streamed: bool
    usage: Usage
    request_body: bytes
    response_body: bytes  # as received from the provider (decoded), bounded by the limit
    error: str | None = None  # what went wrong, for a gateway-made error or a broken stream
    user: str | None = None  # from a verified token
    dlp_action: str = "allow"
    findings: tuple[dict[str, Any], ...] = ()  # DLP findings without the matched text


ExchangeObserver = Callable[[Exchange], None]
