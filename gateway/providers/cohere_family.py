"""Cohere's v2 wire format: errors and usage (plain and streamed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gateway.providers.family import parse_json
from gateway.providers.usage import Usage, as_int, merge
from gateway.sse import SSEEvent


class CohereFamily:
    name = "cohere"

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        return {"message": message}

    def usage_from_json(self, body: Any) -> Usage:
        if not isinstance(body, dict):
            return Usage()
        usage = _counts(Usage(complete=True), body.get("usage") or body.get("meta"))
        finish = body.get("finish_reason")
        return merge(usage, finish_reason=finish if isinstance(finish, str) else None)

    def usage_from_events(self, events: Iterable[SSEEvent]) -> Usage:
        usage = Usage()
        for event in events:
            data = parse_json(event.data)
            if not isinstance(data, dict) or data.get("type") != "message-end":
                continue
            delta = data.get("delta")
            if isinstance(delta, dict):
                finish = delta.get("finish_reason")
                usage = _counts(usage, delta.get("usage"))
                usage = merge(usage, finish_reason=finish if isinstance(finish, str) else None)
            usage = merge(usage, complete=True)
        return usage


def _counts(usage: Usage, counts: Any) -> Usage:
    if not isinstance(counts, dict):
        return usage
    tokens = counts.get("tokens") if isinstance(counts.get("tokens"), dict) else counts.get("billed_units")
    if not isinstance(tokens, dict):
        return usage
    return merge(
        usage, input_tokens=as_int(tokens.get("input_tokens")), output_tokens=as_int(tokens.get("output_tokens"))
    )
