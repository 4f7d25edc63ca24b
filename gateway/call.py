"""One request's journey through the stages: what each stage reads and leaves behind."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web
from yarl import URL

from config.schema import ModelPrice
from gateway.exchange import Attempt, Exchange
from gateway.headers import carries_credential, credential_fingerprint
from gateway.providers import Provider, Usage
from gateway.providers.family import Family
from gateway.response_usage import usage_of
from gateway.runtime import Runtime
from policies.policy import ANONYMOUS, Identity

NO_USAGE = Usage()
_MAX_TOKEN_FIELDS = ("max_tokens", "max_completion_tokens", "max_output_tokens")  # immutable, so one shared default


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
    log_id: str = ""  # set by dispatch when the request will be logged
    metadata: str | None = None  # weir-metadata, validated by the request-controls stage
    collect_log: bool = True
    collect_payload: bool = True
    attempts: list[Attempt] = field(default_factory=list)
    cache_status: str | None = None  # HIT, MISS, BYPASS; None when the cache did not apply
    capture_limit: int = 0  # > 0: the stream response keeps a copy this large, for the cache
    stored_key_fingerprint: str | None = None  # set when the gateway injected a stored provider key
    custom_price: ModelPrice | None = None  # weir-custom-cost, where the gateway allows it
    usage_read: bool = False  # settle_usage has parsed the response

    @property
    def provider_name(self) -> str:
        return self.provider.name if self.provider is not None else "unrouted"

    def _key_fingerprint(self) -> str | None:
        if not self.collect_log:
            return None  # only the log reads it; hashing a credential is not free on the hot path
        return self.stored_key_fingerprint or credential_fingerprint(self.request.headers)

    def stored_key_headers(self) -> dict[str, str]:
        """The provider's auth headers for a stored key, when the client sent no key of its own."""
        provider = self.provider
        if provider is None or carries_credential(self.request.headers, self.request.query_string):
            return {}
        stored = self.runtime.stored_keys.get(provider.name)
        if stored is None:
            return {}
        self.stored_key_fingerprint = stored.fingerprint
        return provider.auth(stored.key)

    def request_json(self) -> Any:
        """The request body as JSON: the parsed payload where a stage parsed it, else the
        body parsed now (pass-through leaves it bytes); None when it is not JSON."""
        if self.payload is not None:
            return self.payload
        if self.body[:1] != b"{":
            return None
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            return None

    def requested_output_tokens(self) -> int | None:
        """The output the request asks room for (``max_tokens`` or its newer names), if any."""
        payload = self.request_json()
        if isinstance(payload, dict):
            for name in _MAX_TOKEN_FIELDS:
                value = payload.get(name)
                if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    return value
        return None

    def settle_usage(self) -> Usage:
        """Usage read from the captured response, once, if no stage has read it yet."""
        if (
            not self.usage_read
            and self.provider is not None
            and self.usage.model is None
            and self.response_body
            and self.status < 400
        ):
            # Once: a response without a model (or not parseable) is not parsed again by
            # each stage that asks (limits, budgets, cache, dispatch).
            self.usage_read = True
            limits = self.runtime.config.limits
            self.usage = usage_of(
                self.provider.family,
                self.response_body,
                self.response_encoding,
                self.response_is_sse,
                limits.max_response_body,
                limits.max_sse_line,
            )
        return self.usage

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
            key_fingerprint=self._key_fingerprint(),
            metadata=self.metadata,
            collect_log=self.collect_log,
            collect_payload=self.collect_payload,
            model=self.model,
            attempts=tuple(self.attempts),
            cache_status=self.cache_status,
            custom_price=self.custom_price,
            sse=self.response_is_sse,
        )
