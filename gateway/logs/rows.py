"""Exchanges to the log's rows: one Arrow table per log table per batch.

Runs on the writer's thread, never on the event loop: a batch of finished exchanges
becomes columns (``requests``, ``attempts``, ``findings``, ``payloads``), and bodies are
sealed here, all under one ``PayloadSealer`` for the batch. Findings carry entry, topic,
level and action; the matched text never reaches this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import pyarrow as pa

from gateway.exchange import Exchange
from gateway.logs.sealed import PayloadSealer

_TS = pa.timestamp("us")
REQUESTS = pa.schema(
    [
        ("id", pa.string()),
        ("started_at", _TS),
        ("source", pa.string()),
        ("gateway", pa.string()),
        ("provider", pa.string()),
        ("model", pa.string()),
        ("endpoint", pa.string()),
        ("method", pa.string()),
        ("path", pa.string()),
        ("route", pa.string()),
        ("step", pa.int32()),
        ("status", pa.int32()),
        ("error_class", pa.string()),
        ("error", pa.string()),
        ("duration_ms", pa.float64()),
        ("ttft_ms", pa.float64()),
        ("streamed", pa.bool_()),
        ("truncated", pa.bool_()),
        ("input_tokens", pa.int64()),
        ("output_tokens", pa.int64()),
        ("cached_tokens", pa.int64()),
        ("reasoning_tokens", pa.int64()),
        ("cost_usd", pa.float64()),
        ("cache_status", pa.string()),
        ("user_id", pa.string()),
        ("key_fingerprint", pa.string()),
        ("groups", pa.list_(pa.string())),
        ("metadata", pa.string()),
        ("dlp_action", pa.string()),
        ("dlp_entries", pa.list_(pa.string())),
        ("dlp_topics", pa.list_(pa.string())),
        ("payload_stored", pa.bool_()),
    ]
)
ATTEMPTS = pa.schema(
    [
        ("request_id", pa.string()),
        ("attempt", pa.int32()),
        ("provider", pa.string()),
        ("model", pa.string()),
        ("started_at", _TS),
        ("status", pa.int32()),
        ("error", pa.string()),
        ("duration_ms", pa.float64()),
    ]
)
FINDINGS = pa.schema(
    [
        ("request_id", pa.string()),
        ("started_at", _TS),
        ("direction", pa.string()),
        ("entry", pa.string()),
        ("topic", pa.string()),
        ("level", pa.string()),
        ("confidence", pa.float64()),
        ("action", pa.string()),
        ("policy", pa.string()),
    ]
)
PAYLOADS = pa.schema(
    [("request_id", pa.string()), ("started_at", _TS), ("request", pa.binary()), ("response", pa.binary())]
)

Cost = Callable[[Exchange], float | None]


class Batch(NamedTuple):
    requests: pa.Table
    attempts: pa.Table
    findings: pa.Table
    payloads: pa.Table


def to_batch(exchanges: Sequence[Exchange], public_key: bytes | None, cost: Cost) -> Batch:
    """The rows for ``exchanges``; bodies are sealed only when there is a public key."""
    sealer = PayloadSealer(public_key) if public_key is not None else None
    requests: list[dict[str, Any]] = []
    attempts: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    payloads: list[dict[str, Any]] = []
    for ex in exchanges:
        started = utc(ex.started_at)
        stored = sealer is not None and ex.collect_payload
        requests.append(_request_row(ex, started, stored, cost(ex)))
        attempts.extend(
            {
                "request_id": ex.log_id,
                "attempt": n,
                "provider": a.provider,
                "model": a.model,
                "started_at": utc(a.started_at),
                "status": a.status,
                "error": a.error,
                "duration_ms": a.duration * 1e3,
            }
            for n, a in enumerate(ex.attempts)
        )
        findings.extend(
            {
                "request_id": ex.log_id,
                "started_at": started,
                "direction": f.get("direction", "request"),
                "entry": f["entry"],
                "topic": f["topic"],
                "level": f["level"],
                "confidence": f["confidence"],
                "action": f["action"],
                "policy": f.get("rule"),
            }
            for f in ex.findings
        )
        if stored and sealer is not None:
            payloads.append(
                {
                    "request_id": ex.log_id,
                    "started_at": started,
                    "request": sealer.seal(ex.log_id, ex.request_body),
                    "response": sealer.seal(ex.log_id, ex.response_body),
                }
            )
    return Batch(
        pa.Table.from_pylist(requests, REQUESTS),
        pa.Table.from_pylist(attempts, ATTEMPTS),
        pa.Table.from_pylist(findings, FINDINGS),
        pa.Table.from_pylist(payloads, PAYLOADS),
    )


def _request_row(ex: Exchange, started: datetime, stored: bool, cost: float | None) -> dict[str, Any]:
    usage = ex.usage
    entries = sorted({f["entry"] for f in ex.findings})
    topics = sorted({f["topic"] for f in ex.findings})
    return {
        "id": ex.log_id,
        "started_at": started,
        "source": "gateway",
        "gateway": ex.gateway,
        "provider": ex.provider,
        "model": usage.model or ex.model,
        "endpoint": ex.endpoint,
        "method": ex.method,
        "path": ex.path,
        "route": ex.route,
        "step": ex.step,
        "status": ex.status,
        "error_class": error_class(ex),
        "error": ex.error,
        "duration_ms": ex.duration * 1e3,
        "ttft_ms": ex.ttfb * 1e3 if ex.ttfb is not None else None,
        "streamed": ex.streamed,
        "truncated": is_truncated(ex),
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cached_tokens": usage.cached_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "cost_usd": cost,
        "cache_status": ex.cache_status,
        "user_id": ex.user,
        "key_fingerprint": ex.key_fingerprint,
        "groups": list(ex.groups),
        "metadata": ex.metadata,
        "dlp_action": ex.dlp_action,
        "dlp_entries": entries,
        "dlp_topics": topics,
        "payload_stored": stored,
    }


def is_truncated(ex: Exchange) -> bool:
    """A stream the client did not get whole: it broke, or ended without its terminal event."""
    if not ex.streamed or ex.status >= 400:
        return False
    return ex.error is not None or (ex.sse and not ex.usage.complete)


def error_class(ex: Exchange) -> str | None:
    """A short, groupable name for what went wrong; None for a success."""
    if ex.status == 499:
        return "client_closed"
    if is_truncated(ex):
        return "stream_truncated"
    if ex.status < 400:
        return None
    if ex.error is None:  # the provider's own answer, passed through
        return "provider_4xx" if ex.status < 500 else "provider_5xx"
    if ex.dlp_action == "block" and ex.status == 403:
        return "dlp_blocked"
    if ex.status in (401, 403):
        return "unauthorized"
    if ex.status == 429:
        return "rate_limited"
    if ex.status == 504:
        return "upstream_timeout"
    if ex.status == 502:
        return "upstream_error"
    return "bad_request" if ex.status < 500 else "gateway_error"


def utc(epoch_seconds: float) -> datetime:
    # Naive UTC: DuckDB's TIMESTAMP has no zone, and every reader of the log assumes UTC.
    return datetime.fromtimestamp(epoch_seconds, UTC).replace(tzinfo=None)
