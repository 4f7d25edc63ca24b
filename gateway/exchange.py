"""The record of one finished request, handed to every observer (metrics, logs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from config.schema import ModelPrice
from gateway.providers.usage import Usage


class Attempt(NamedTuple):
    """One upstream call a request made: retries and fallbacks each add one, never overwrite."""

    provider: str
    model: str | None
    started_at: float  # wall clock, seconds since the epoch
    status: int  # the upstream's status, or the gateway's 502/504 when it never answered
    duration: float  # seconds until the response headers (or the failure)
    error: str | None = None


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
    log_id: str = ""  # the request log's id (UUIDv7), also sent as weir-log-id
    groups: tuple[str, ...] = ()
    key_fingerprint: str | None = None  # a short hash of the provider credential the client sent
    metadata: str | None = None  # weir-metadata, as the JSON object text the client sent
    collect_log: bool = True
    collect_payload: bool = True
    model: str | None = None  # the model asked for, where the gateway routed by it (unified endpoint)
    cache_status: str | None = None
    route: str | None = None
    step: int | None = None
    attempts: tuple[Attempt, ...] = ()
    custom_price: ModelPrice | None = None  # weir-custom-cost: this request's own price
    source: str = "gateway"  # or "egress", for traffic seen by the forward proxy
    sse: bool = False  # the response was an event stream (its usage says whether it ended properly)


ExchangeObserver = Callable[[Exchange], None]
