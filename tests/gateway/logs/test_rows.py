"""Exchanges to Arrow rows: columns, error classes, truncation, sealed bodies."""

from __future__ import annotations

import pytest

from gateway.exchange import Attempt
from gateway.logs.rows import REQUESTS, error_class, is_truncated, to_batch
from gateway.logs.sealed import PayloadOpener, generate_key_pair
from gateway.providers.usage import Usage
from tests.gateway.logs.exchanges import exchange

FINDING = {
    "entry": "AWS_ACCESS_KEY",
    "topic": "secrets",
    "level": "high",
    "confidence": 0.97,
    "path": ["messages", 0, "content"],
    "role": "user",
    "span": [10, 30],
    "action": "block",
    "rule": "block-secrets",
    "direction": "request",
}


def test_a_request_row_carries_what_the_exchange_knew() -> None:
    ex = exchange(user="ana", groups=("eng",), metadata='{"team":"x"}', key_fingerprint="abcd", findings=(FINDING,))
    batch = to_batch([ex], None, lambda e: 0.25)
    (row,) = batch.requests.to_pylist()
    assert batch.requests.schema == REQUESTS
    assert row["id"] == ex.log_id
    assert (row["gateway"], row["provider"], row["model"], row["status"]) == ("default", "openai", "gpt-4o-mini", 200)
    assert (row["input_tokens"], row["output_tokens"]) == (12, 7)
    assert row["duration_ms"] == pytest.approx(120.0)
    assert row["ttft_ms"] == pytest.approx(80.0)
    assert (row["user_id"], row["groups"], row["metadata"]) == ("ana", ["eng"], '{"team":"x"}')
    assert row["cost_usd"] == 0.25
    assert (row["dlp_entries"], row["dlp_topics"]) == (["AWS_ACCESS_KEY"], ["secrets"])
    assert row["payload_stored"] is False
    assert batch.payloads.num_rows == 0


def test_findings_rows_never_hold_matched_text() -> None:
    batch = to_batch([exchange(findings=(FINDING,))], None, lambda e: None)
    (row,) = batch.findings.to_pylist()
    assert row["entry"] == "AWS_ACCESS_KEY"
    assert row["policy"] == "block-secrets"
    assert set(batch.findings.column_names) == {
        "request_id",
        "started_at",
        "direction",
        "entry",
        "topic",
        "level",
        "confidence",
        "action",
        "policy",
    }


def test_every_attempt_is_a_row_in_order() -> None:
    attempts = (Attempt("openai", "m", 1.0, 503, 0.1, "busy"), Attempt("anthropic", "m2", 2.0, 200, 0.2))
    batch = to_batch([exchange(attempts=attempts)], None, lambda e: None)
    rows = batch.attempts.to_pylist()
    assert [(r["attempt"], r["provider"], r["status"], r["error"]) for r in rows] == [
        (0, "openai", 503, "busy"),
        (1, "anthropic", 200, None),
    ]


def test_bodies_are_sealed_to_the_key_and_bound_to_the_record() -> None:
    private_key, public_key = generate_key_pair()
    first, second = exchange(), exchange(collect_payload=False)
    batch = to_batch([first, second], public_key, lambda e: None)
    assert [r["payload_stored"] for r in batch.requests.to_pylist()] == [True, False]
    (payload,) = batch.payloads.to_pylist()
    assert payload["request_id"] == first.log_id
    assert first.request_body not in payload["request"]
    opener = PayloadOpener(private_key)
    assert opener.open(first.log_id, payload["request"]) == first.request_body
    assert opener.open(first.log_id, payload["response"]) == first.response_body


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, None),
        ({"status": 499, "error": "the client disconnected"}, "client_closed"),
        ({"status": 404, "error": None}, "provider_4xx"),
        ({"status": 503, "error": None}, "provider_5xx"),
        ({"status": 403, "error": "blocked", "dlp_action": "block"}, "dlp_blocked"),
        ({"status": 401, "error": "token"}, "unauthorized"),
        ({"status": 429, "error": "slow down"}, "rate_limited"),
        ({"status": 504, "error": "timeout"}, "upstream_timeout"),
        ({"status": 502, "error": "unreachable"}, "upstream_error"),
        ({"status": 400, "error": "bad json"}, "bad_request"),
        ({"status": 500, "error": "defect"}, "gateway_error"),
        ({"streamed": True, "sse": True, "error": "the upstream stream broke"}, "stream_truncated"),
    ],
)
def test_error_classes(overrides: dict[str, object], expected: str | None) -> None:
    assert error_class(exchange(**overrides)) == expected


@pytest.mark.parametrize(
    ("overrides", "truncated"),
    [
        ({"streamed": True, "sse": True}, False),  # the default usage is complete
        ({"streamed": True, "sse": True, "usage": Usage("m", complete=False)}, True),  # no terminal event
        ({"streamed": True, "sse": True, "error": "broke"}, True),
        ({"streamed": True, "sse": False, "usage": Usage(complete=False)}, False),  # not an event stream
        ({"streamed": False, "usage": Usage(complete=False)}, False),
        ({"streamed": True, "sse": True, "status": 500, "error": "x"}, False),  # an error, not a cut stream
    ],
)
def test_truncation(overrides: dict[str, object], truncated: bool) -> None:
    assert is_truncated(exchange(**overrides)) is truncated
