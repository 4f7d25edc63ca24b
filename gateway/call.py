"""One request's journey through the stages: what each stage reads and leaves behind."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from yarl import URL

from gateway.exchange import Attempt, Exchange
from gateway.headers import credential_fingerprint
from gateway.logs.ids import uuid7
from gateway.providers import Provider, Usage
from gateway.providers.family import Family
from gateway.runtime import Runtime
from policies.policy import ANONYMOUS, Identity

NO_USAGE = Usage()  # immutable, so one shared default


@dataclass(slots=True)
class Call:
    request: web.Request
    runtime: Runtime
    gateway: str
    provider: Provider | None  # None until routed (the unified endpoint routes by body)
    endpoint: str
    error_family: Family  # whose error shape the caller speaks
    url: URL | None = None  # the upstream URL, once routed
    payload: dict[str, Any] | None = None  # the parsed JSON body, where a stage needed it
    model: str | None = None  # the provider's model name, on the unified endpoint
    stream: bool = False  # the client asked for a stream
    body: bytes = b""  # the request body as the client sent it (still encoded)
    started: float = field(default_factory=time.perf_counter)
    started_at: float = field(default_factory=time.time)
    status: int = 0
    ttfb: float | None = None
    streamed: bool = False
    response_body: bytes = b""
    response_encoding: str | None = None
    response_is_sse: bool = False
    usage: Usage = NO_USAGE
    error: str | None = None
    identity: Identity = ANONYMOUS  # set by the authentication stage, from a verified token
    body_rewritten: bool = False  # a stage replaced the body (redaction): send it uncompressed
    dlp_action: str = "allow"
    findings: list[dict[str, Any]] = field(default_factory=list)  # no matched values, ever
    log_id: str = field(default_factory=uuid7)
    metadata: str | None = None  # weir-metadata, validated by the request-controls stage
    collect_log: bool = True
    collect_payload: bool = True
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def provider_name(self) -> str:
        return self.provider.name if self.provider is not None else "unrouted"

    def mark_first_byte(self) -> None:
        self.ttfb = time.perf_counter() - self.started

    def to_exchange(self) -> Exchange:
        return Exchange(
            gateway=self.gateway,
            provider=self.provider_name,
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
            user=self.identity.user,
            dlp_action=self.dlp_action,
            findings=tuple(self.findings),
            log_id=self.log_id,
            groups=self.identity.groups,
            key_fingerprint=credential_fingerprint(self.request.headers),
            metadata=self.metadata,
            collect_log=self.collect_log,
            collect_payload=self.collect_payload,
            model=self.model,
            attempts=tuple(self.attempts),
            sse=self.response_is_sse,
        )
