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
    """The rows for ``exchanges``; bodies are sealed only when there is a public key.

    Built column by column (measured: three times faster than a dict per row), with
    times as integer microseconds, which Arrow takes without a datetime per value.
    """
    sealer = PayloadSealer(public_key) if public_key is not None else None
    stored = [sealer is not None and ex.collect_payload for ex in exchanges]
    started = [_micros(ex.started_at) for ex in exchanges]
    usages = [ex.usage for ex in exchanges]
    requests = pa.Table.from_arrays(
        [
            pa.array([ex.log_id for ex in exchanges], pa.string()),
            pa.array(started, _TS),
            pa.array([ex.source for ex in exchanges], pa.string()),
            pa.array([ex.gateway for ex in exchanges], pa.string()),
            pa.array([ex.provider for ex in exchanges], pa.string()),
            pa.array([u.model or ex.model for u, ex in zip(usages, exchanges, strict=True)], pa.string()),
            pa.array([ex.endpoint for ex in exchanges], pa.string()),
            pa.array([ex.method for ex in exchanges], pa.string()),
            pa.array([ex.path for ex in exchanges], pa.string()),
            pa.array([ex.route for ex in exchanges], pa.string()),
            pa.array([ex.step for ex in exchanges], pa.int32()),
            pa.array([ex.status for ex in exchanges], pa.int32()),
            pa.array([error_class(ex) for ex in exchanges], pa.string()),
            pa.array([ex.error for ex in exchanges], pa.string()),
            pa.array([ex.duration * 1e3 for ex in exchanges], pa.float64()),
            pa.array([ex.ttfb * 1e3 if ex.ttfb is not None else None for ex in exchanges], pa.float64()),
            pa.array([ex.streamed for ex in exchanges], pa.bool_()),
            pa.array([is_truncated(ex) for ex in exchanges], pa.bool_()),
            pa.array([u.input_tokens for u in usages], pa.int64()),
            pa.array([u.output_tokens for u in usages], pa.int64()),
            pa.array([u.cached_tokens for u in usages], pa.int64()),
            pa.array([u.reasoning_tokens for u in usages], pa.int64()),
            pa.array([cost(ex) for ex in exchanges], pa.float64()),
            pa.array([ex.cache_status for ex in exchanges], pa.string()),
            pa.array([ex.user for ex in exchanges], pa.string()),
            pa.array([ex.key_fingerprint for ex in exchanges], pa.string()),
            pa.array([list(ex.groups) for ex in exchanges], pa.list_(pa.string())),
            pa.array([ex.metadata for ex in exchanges], pa.string()),
            pa.array([ex.dlp_action for ex in exchanges], pa.string()),
            pa.array([sorted({f["entry"] for f in ex.findings}) for ex in exchanges], pa.list_(pa.string())),
            pa.array([sorted({f["topic"] for f in ex.findings}) for ex in exchanges], pa.list_(pa.string())),
            pa.array(stored, pa.bool_()),
        ],
        schema=REQUESTS,
    )
    return Batch(
        requests,
        _attempts(exchanges),
        _findings(exchanges, started),
        _payloads(exchanges, started, stored, sealer),
    )


def _attempts(exchanges: Sequence[Exchange]) -> pa.Table:
    rows = [(ex.log_id, n, a) for ex in exchanges for n, a in enumerate(ex.attempts)]
    return pa.Table.from_arrays(
        [
            pa.array([r[0] for r in rows], pa.string()),
            pa.array([r[1] for r in rows], pa.int32()),
            pa.array([r[2].provider for r in rows], pa.string()),
            pa.array([r[2].model for r in rows], pa.string()),
            pa.array([_micros(r[2].started_at) for r in rows], _TS),
            pa.array([r[2].status for r in rows], pa.int32()),
            pa.array([r[2].error for r in rows], pa.string()),
            pa.array([r[2].duration * 1e3 for r in rows], pa.float64()),
        ],
        schema=ATTEMPTS,
    )


def _findings(exchanges: Sequence[Exchange], started: list[int]) -> pa.Table:
    rows: list[dict[str, Any]] = [
        {
            "request_id": ex.log_id,
            "started_at": at,
            "direction": f.get("direction", "request"),
            "entry": f["entry"],
            "topic": f["topic"],
            "level": f["level"],
            "confidence": f["confidence"],
            "action": f["action"],
            "policy": f.get("rule"),
        }
        for ex, at in zip(exchanges, started, strict=True)
        for f in ex.findings
    ]
    return pa.Table.from_pylist(rows, FINDINGS)


def _payloads(
    exchanges: Sequence[Exchange], started: list[int], stored: list[bool], sealer: PayloadSealer | None
) -> pa.Table:
    ids: list[str] = []
    at: list[int] = []
    request: list[bytes] = []
    response: list[bytes] = []
    if sealer is not None:
        for ex, when, keep in zip(exchanges, started, stored, strict=True):
            if keep:
                ids.append(ex.log_id)
                at.append(when)
                request.append(sealer.seal(ex.log_id, ex.request_body))
                response.append(sealer.seal(ex.log_id, ex.response_body))
    return pa.Table.from_arrays(
        [
            pa.array(ids, pa.string()),
            pa.array(at, _TS),
            pa.array(request, pa.binary()),
            pa.array(response, pa.binary()),
        ],
        schema=PAYLOADS,
    )


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


def _micros(epoch_seconds: float) -> int:
    # Naive UTC microseconds: DuckDB's TIMESTAMP has no zone, and every reader assumes UTC.
    return int(epoch_seconds * 1_000_000)


def utc(epoch_seconds: float) -> datetime:
    # Naive UTC: DuckDB's TIMESTAMP has no zone, and every reader of the log assumes UTC.
    return datetime.fromtimestamp(epoch_seconds, UTC).replace(tzinfo=None)
