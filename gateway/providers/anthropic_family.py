"""The Anthropic Messages wire format: errors and usage (plain and streamed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gateway.providers.family import parse_json
from gateway.providers.usage import Usage, as_int, merge
from gateway.sse import SSEEvent
from gateway.translate.anthropic import anthropic_error_type_for_status


class AnthropicFamily:
    name = "anthropic"

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        return {"type": "error", "error": {"type": anthropic_error_type_for_status(status), "message": message}}

    def usage_from_json(self, body: Any) -> Usage:
        if not isinstance(body, dict) or body.get("type") != "message":
            return Usage()
        usage = _counts(Usage(complete=True), body.get("usage"))
        return merge(usage, model=_str(body.get("model")), finish_reason=_str(body.get("stop_reason")))

    def usage_from_events(self, events: Iterable[SSEEvent]) -> Usage:
        usage = Usage()
        for event in events:
            data = parse_json(event.data)
            if not isinstance(data, dict):
                continue
            kind = data.get("type")
            if kind == "message_start" and isinstance(data.get("message"), dict):
                message = data["message"]
                usage = _counts(merge(usage, model=_str(message.get("model"))), message.get("usage"))
            elif kind == "message_delta":
                delta = data.get("delta")
                reason = _str(delta.get("stop_reason")) if isinstance(delta, dict) else None
                usage = _counts(merge(usage, finish_reason=reason), data.get("usage"))
            elif kind == "message_stop":
                usage = merge(usage, complete=True)
        return usage


def _counts(usage: Usage, counts: Any) -> Usage:
    if not isinstance(counts, dict):
        return usage
    fresh = as_int(counts.get("input_tokens"))
    cache_read = as_int(counts.get("cache_read_input_tokens"))
    cache_write = as_int(counts.get("cache_creation_input_tokens"))
    total_input = None if fresh is None else fresh + (cache_read or 0) + (cache_write or 0)
    return merge(
        usage,
        input_tokens=total_input,
        output_tokens=as_int(counts.get("output_tokens")),
        cached_tokens=cache_read,
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
